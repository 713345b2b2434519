package dev.sysextctl.converter.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionInstallerTest {
    @TempDir
    Path tmp;

    private Path root() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"),
                Path.of("/usr/share/flatcar/sysext/docker-flatcar.raw"));
        return root;
    }

    private Path image(String name) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, "image " + name);
        return p;
    }

    @Test
    void installsLinksAndMasksTheFlatcarWay() throws Exception {
        Path root = root();
        Installation in = ExtensionInstaller.install(root, List.of(
                new ExtensionInstaller.Item("docker", image("d.raw"), "docker-19.03-x86-64.raw",
                        Set.of("docker", "containerd")),
                new ExtensionInstaller.Item("addon_01", image("a.raw"), "addon_01-com.coreos.cl-x86-64.raw",
                        Set.of())));
        assertThat(root.resolve("opt/extensions/docker/docker-19.03-x86-64.raw")).hasContent("image d.raw");
        assertThat(Files.getPosixFilePermissions(root.resolve("opt/extensions/docker/docker-19.03-x86-64.raw")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker.raw")))
                .isEqualTo(Path.of("/opt/extensions/docker/docker-19.03-x86-64.raw"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/addon_01.raw")))
                .isEqualTo(Path.of("/opt/extensions/addon_01/addon_01-com.coreos.cl-x86-64.raw"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw")))
                .isEqualTo(Path.of("/dev/null"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/containerd-flatcar.raw")))
                .isEqualTo(Path.of("/dev/null"));
        assertThat(root.resolve("etc/extensions/docker-flatcar")).doesNotExist();
        assertThat(in.masked()).extracting(Installation.Masked::name).containsExactly("docker-flatcar",
                "containerd-flatcar");
        assertThat(Files.readString(root.resolve("run/sysextctl.lock"))).contains("command=convert torcx-profile "
                + "--enable");
        try (var s = Files.list(root.resolve("etc/extensions"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".#"));
        }
    }

    @Test
    void dockerWithoutContainerdKeepsFlatcarsContainerd() throws Exception {
        Path root = root();
        ExtensionInstaller.install(root, List.of(new ExtensionInstaller.Item("docker", image("d.raw"), "d.raw",
                Set.of("docker"))));
        assertThat(root.resolve("etc/extensions/containerd-flatcar.raw")).doesNotExist();
    }

    @Test
    void regularFileInTheWayRefusesBeforeWritingAnything() throws Exception {
        Path root = root();
        Files.writeString(root.resolve("etc/extensions/addon_01.raw"), "a real image");
        assertThatThrownBy(() -> ExtensionInstaller.install(root, List.of(
                new ExtensionInstaller.Item("docker", image("d.raw"), "d.raw", Set.of("docker")),
                new ExtensionInstaller.Item("addon_01", image("a.raw"), "a.raw", Set.of()))))
                .isInstanceOf(RefusedException.class).hasMessageContaining("addon_01.raw");
        assertThat(root.resolve("opt")).doesNotExist();
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw")))
                .isEqualTo(Path.of("/usr/share/flatcar/sysext/docker-flatcar.raw"));
    }

    @Test
    void symlinksInTheRootNeverLeadOutOfIt() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/extensions"), Path.of("/../../../" + outside));
        Files.createSymbolicLink(root.resolve("opt"), outside);
        ExtensionInstaller.install(root, List.of(new ExtensionInstaller.Item("docker", image("d.raw"), "d.raw",
                Set.of())));
        try (var s = Files.walk(outside)) {
            assertThat(s.filter(p -> !p.equals(outside))).isEmpty();
        }
        assertThat(Files.isSymbolicLink(root.resolve(outside.toString().substring(1) + "/docker.raw"))).isTrue();
    }
}
