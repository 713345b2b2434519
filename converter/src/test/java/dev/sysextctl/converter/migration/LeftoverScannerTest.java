package dev.sysextctl.converter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.TorcxFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverScannerTest {
    @TempDir
    Path root;

    @Test
    void findsDropInsUnitsLinksAndTheGeneratorOverride() throws Exception {
        TorcxFixtures.write(root.resolve("etc/systemd/system/containerd.service.d/10-torcx.conf"),
                "[Service]\n# uses torcx\nExecStart=\nExecStart=${TORCX_BINDIR}/containerd --config /etc/c.toml\n");
        TorcxFixtures.write(root.resolve("etc/systemd/system/docker.service.d/20-ok.conf"),
                "[Service]\nEnvironment=DOCKER_OPTS=--debug\n");
        TorcxFixtures.write(root.resolve("etc/systemd/system/kubelet.service"),
                "[Unit]\nAfter=torcx.target\n[Service]\nEnvironmentFile=/run/metadata/torcx\nExecStart=/opt/bin/kubelet\n");
        Files.createDirectories(root.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/old.service"),
                Path.of("/run/torcx/unpack/docker/lib/systemd/system/old.service"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/fine.service"),
                Path.of("/etc/systemd/system/fine.service"));
        Files.createDirectories(root.resolve("etc/systemd/system-generators"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system-generators/torcx-generator"), Path.of("/dev/null"));

        List<Leftover> found = LeftoverScanner.scan(root);
        assertThat(found).extracting(Leftover::path).containsExactly(
                "/etc/systemd/system/containerd.service.d/10-torcx.conf", "/etc/systemd/system/kubelet.service",
                "/etc/systemd/system/multi-user.target.wants/old.service",
                "/etc/systemd/system-generators/torcx-generator");
        assertThat(found).extracting(Leftover::kind).containsExactly("drop-in", "unit", "link", "generator-override");
        assertThat(found.get(0).matches()).containsExactly(new Leftover.Match(4,
                "ExecStart=${TORCX_BINDIR}/containerd --config /etc/c.toml"));
        assertThat(found.get(1).matches()).extracting(Leftover.Match::line).containsExactly(2, 4);
        assertThat(found.get(0).suggestion()).isEqualTo(
                "[Service]\n# uses torcx\nExecStart=\nExecStart=/usr/bin/containerd --config /etc/c.toml\n");
        assertThat(found.get(1).suggestion()).isEqualTo("[Unit]\n[Service]\nExecStart=/opt/bin/kubelet\n");
        assertThat(found.get(2).suggestion()).isNull();
    }

    @Test
    void cleanNodeHasNoLeftoversAndLinksOutOfTheRootAreNotFollowed() throws Exception {
        Files.createDirectories(root.resolve("etc/systemd"));
        Files.createSymbolicLink(root.resolve("etc/systemd/system"), Path.of("/etc/systemd/system"));
        assertThat(LeftoverScanner.scan(root)).isEmpty();
    }
}
