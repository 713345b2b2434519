package dev.sysextctl.merger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration API the converter's installer uses: {@link Masks#disable} (a {@code /dev/null} link over the link
 * that enabled an image) and {@link StoredImages} (the bakery's store and link), on disk in a scratch root.
 */
class DisableAndStoreTest {
    @TempDir
    Path root;
    Node node;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.writeString(root.resolve("etc/os-release"), "ID=flatcar\nVERSION_ID=3760.2.0\n");
        node = Node.open(root, null, Map.of());
    }

    @Test
    void disableReplacesTheEnablingLinkWithOneToDevNull() throws Exception {
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"),
                Path.of("/usr/share/flatcar/sysext/docker-flatcar.raw"));
        Masks.Disabled d = Masks.disable(node, "docker-flatcar");
        assertThat(d.link()).isEqualTo("/etc/extensions/docker-flatcar.raw");
        assertThat(d.note()).isNull();
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"))).hasToString("/dev/null");
        assertThat(root.resolve("etc/extensions/docker-flatcar")).doesNotExist();
        Discovery after = ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        assertThat(after.ignoredNamed("docker-flatcar")).singleElement().satisfies(e -> assertThat(e.reason())
                .startsWith("a link to /dev/null: disables a built-in image whose link it replaces (disabled: "
                        + "'docker-flatcar' is hidden from /etc/extensions; it does not mask"));
    }

    @Test
    void disableLeavesADirectoryOrARegularFileAloneWithANote() throws Exception {
        Files.createDirectory(root.resolve("etc/extensions/d.raw"));
        Files.writeString(root.resolve("etc/extensions/f.raw"), "an image");
        assertThat(Masks.disable(node, "d")).satisfies(d -> {
            assertThat(d.link()).isNull();
            assertThat(d.note()).contains("/etc/extensions/d.raw is a directory; left alone");
        });
        assertThat(Masks.disable(node, "f").note()).contains("/etc/extensions/f.raw is a regular file");
        assertThat(root.resolve("etc/extensions/f.raw")).hasContent("an image");
        assertThatThrownBy(() -> Masks.disable(node, "x.raw")).isInstanceOf(UsageException.class);
    }

    @Test
    void storedImagesAreCopiedAndLinkedByTheirNodePath() throws Exception {
        Path image = Files.writeString(root.getParent().resolve(root.getFileName() + "-docker.raw"), "image bytes");
        StoredImages.Stored s = StoredImages.install(node, "docker", image, "docker-19.03-x86-64.raw");
        assertThat(s).isEqualTo(new StoredImages.Stored("docker", "/opt/extensions/docker/docker-19.03-x86-64.raw",
                "/etc/extensions/docker.raw"));
        Path stored = root.resolve("opt/extensions/docker/docker-19.03-x86-64.raw");
        assertThat(stored).hasContent("image bytes");
        assertThat(Files.getPosixFilePermissions(stored)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker.raw")))
                .hasToString("/opt/extensions/docker/docker-19.03-x86-64.raw");
        Files.delete(image);
    }

    @Test
    void checkLinkableRefusesWhatIsNotALink() throws Exception {
        Files.createSymbolicLink(root.resolve("etc/extensions/old.raw"), Path.of("/opt/extensions/old/1.raw"));
        StoredImages.checkLinkable(node, "old");
        StoredImages.checkLinkable(node, "new");
        Files.writeString(root.resolve("etc/extensions/plain.raw"), "x");
        assertThatThrownBy(() -> StoredImages.checkLinkable(node, "plain")).isInstanceOf(RefusedException.class)
                .hasMessageContaining("/etc/extensions/plain.raw in ").hasMessageContaining("is a regular file, not a "
                        + "link; nothing was installed");
    }
}
