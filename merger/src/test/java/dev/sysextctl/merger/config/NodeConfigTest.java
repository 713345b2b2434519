package dev.sysextctl.merger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enable/disable/mask/unmask on disk, with directory images (no root, no mounts). */
class NodeConfigTest {
    @TempDir
    Path root;
    Node node;
    ExtensionLinks links;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Ext.named("tools").tree(root.resolve("opt/extensions/tools/tools-1"));
        Ext.named("fed").release("ID=fedora\n").tree(root.resolve("opt/extensions/fed"));
        Ext.named("multi").releaseFile("extension-release.other", Ext.DEBIAN_12, null)
                .tree(root.resolve("opt/extensions/multi-1.0"));
        node = Node.open(root, null, Map.of());
        NativeTools tools = NativeTools.system();
        links = new ExtensionLinks(tools.mounter(), tools.unsquashfs());
    }

    private ExtensionLinks.EnableRequest req(String image, String name, boolean runtime, boolean force) {
        return new ExtensionLinks.EnableRequest(root.resolve(image.substring(1)), name, runtime, force);
    }

    private String[] entries(String dir) throws Exception {
        try (Stream<Path> s = Files.list(root.resolve(dir.substring(1)))) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void enableLinksADirectoryUnderItsOwnNameRelativeToTheLinkDirectory() throws Exception {
        ConfigChange c = links.enable(node, req("/opt/extensions/tools/tools-1", null, false, false));
        assertThat(c.name()).isEqualTo("tools");
        assertThat(c.created()).containsExactly("/etc/extensions/tools");
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/tools")))
                .isEqualTo(Path.of("../../opt/extensions/tools/tools-1"));
        assertThat(entries("/etc/extensions")).containsExactly("tools");
        assertThat(links.enable(node, req("/opt/extensions/tools/tools-1", null, false, false)).changed()).isFalse();
    }

    @Test
    void enableReplacesItsOwnLinkAtomicallyAndSaysWhatWasThere() throws Exception {
        links.enable(node, req("/opt/extensions/tools/tools-1", null, false, false));
        Ext.named("tools").tree(root.resolve("opt/extensions/tools/tools-2"));
        ConfigChange c = links.enable(node, req("/opt/extensions/tools/tools-2", null, false, false));
        assertThat(c.previousTarget()).isEqualTo("../../opt/extensions/tools/tools-1");
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/tools")))
                .isEqualTo(Path.of("../../opt/extensions/tools/tools-2"));
        assertThat(entries("/etc/extensions")).containsExactly("tools");
    }

    @Test
    void enableRefusesMismatchedNamesIncompatibleImagesAndPathsOutsideTheRoot() {
        assertThatThrownBy(() -> links.enable(node, req("/opt/extensions/tools/tools-1", "other", false, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("does not match the name 'other'");
        assertThatThrownBy(() -> links.enable(node, req("/opt/extensions/fed", null, false, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("is for OS 'fedora'");
        assertThatThrownBy(() -> links.enable(node, req("/opt/extensions/multi-1.0", null, false, false)))
                .isInstanceOf(UsageException.class).hasMessageContaining("--name");
        assertThatThrownBy(() -> links.enable(node, new ExtensionLinks.EnableRequest(Path.of("/usr/bin"), null, false,
                false))).isInstanceOf(UsageException.class).hasMessageContaining("outside --root");
        assertThat(root.resolve("etc/extensions")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void forceEnablesAnywayAndRuntimeUsesRun() throws Exception {
        ConfigChange c = links.enable(node, req("/opt/extensions/fed", null, true, true));
        assertThat(c.created()).containsExactly("/run/extensions/fed");
        assertThat(Files.isSymbolicLink(root.resolve("run/extensions/fed"))).isTrue();
    }

    @Test
    void enableRefusesWhenAMaskOrAnImageFileHoldsTheName() throws Exception {
        Masks.mask(node, "tools");
        assertThatThrownBy(() -> links.enable(node, req("/opt/extensions/tools/tools-1", null, false, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("sysextctl unmask tools");
        Masks.unmask(node, "tools");
        Files.writeString(root.resolve("etc/extensions/tools.raw"), "image");
        assertThatThrownBy(() -> links.enable(node, req("/opt/extensions/tools/tools-1", null, false, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("not a link");
    }

    @Test
    void disableRemovesLinksOnlyAndSaysWhatIsLeft() throws Exception {
        links.enable(node, req("/opt/extensions/tools/tools-1", null, false, false));
        Files.createDirectories(root.resolve("var/lib/extensions"));
        Ext.named("tools").tree(root.resolve("var/lib/extensions/tools"));
        ConfigChange d = links.disable(node, "tools", false);
        assertThat(d.removed()).containsExactly("/etc/extensions/tools");
        assertThat(d.notes()).anyMatch(n -> n.contains("still provided by /var/lib/extensions/tools"));
        assertThat(root.resolve("opt/extensions/tools/tools-1")).isDirectory();
        Files.createSymbolicLink(root.resolve("etc/extensions/off.raw"), Path.of("/dev/null"));
        assertThat(links.disable(node, "off", false).changed()).isFalse();
        assertThat(Files.isSymbolicLink(root.resolve("etc/extensions/off.raw"))).isTrue();
        Files.writeString(root.resolve("etc/extensions/plain.raw"), "x");
        assertThatThrownBy(() -> links.disable(node, "plain", false)).isInstanceOf(RefusedException.class);
        assertThatThrownBy(() -> links.disable(node, "plain.raw", false)).isInstanceOf(UsageException.class);
    }

    @Test
    void maskIsAnEmptyMarkedDirectoryAndUnmaskRemovesOnlyThat() throws Exception {
        ConfigChange m = Masks.mask(node, "docker-flatcar");
        assertThat(m.created()).containsExactly("/etc/extensions/docker-flatcar");
        Path mask = root.resolve("etc/extensions/docker-flatcar");
        assertThat(mask).isEmptyDirectory();
        assertThat(Masks.isOurs(mask)).isTrue();
        assertThat(entries("/etc/extensions")).containsExactly("docker-flatcar");
        assertThat(Masks.unmask(node, "docker-flatcar").removed()).containsExactly("/etc/extensions/docker-flatcar");
        assertThat(mask).doesNotExist();
        Files.createDirectories(mask);
        assertThat(Masks.mask(node, "docker-flatcar").changed()).isFalse();
        assertThatThrownBy(() -> Masks.unmask(node, "docker-flatcar")).isInstanceOf(RefusedException.class)
                .hasMessageContaining("not created by sysextctl mask");
        assertThat(mask).isEmptyDirectory();
        assertThat(Masks.unmask(node, "never").changed()).isFalse();
    }
}
