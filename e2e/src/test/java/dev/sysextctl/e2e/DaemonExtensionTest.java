package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonExtensionTest {
    @TempDir
    Path tmp;

    @Test
    void aDockerLikeImageHasItsDaemonUnitsUpholdsDropInsAndAReloadingRelease() throws Exception {
        Path root = DaemonExtension.dockerLike("28.0.4").image(new OsRelease("debian", "12")).writeTree(tmp);

        assertThat(root.resolve("usr/lib/extension-release.d/extension-release.docker")).hasContent(
                "ID=debian\nVERSION_ID=12\nSYSEXT_VERSION_ID=28.0.4\nEXTENSION_RELOAD_MANAGER=1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/dockerd"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("usr/bin/dockerd")).content().contains("echo \"docker 28.0.4 $$\"",
                "exec sleep infinity");
        assertThat(root.resolve("usr/lib/systemd/system/docker.service")).content()
                .contains("Requires=docker.socket", "ExecStart=/usr/bin/dockerd");
        assertThat(root.resolve("usr/lib/systemd/system/docker.socket")).content()
                .contains("ListenStream=/run/docker.sock");
        assertThat(root.resolve("usr/lib/systemd/system/multi-user.target.d/10-docker.conf"))
                .hasContent("[Unit]\nUpholds=docker.service");
        assertThat(root.resolve("usr/lib/systemd/system/sockets.target.d/10-docker.conf"))
                .hasContent("[Unit]\nUpholds=docker.socket");
        assertThat(root.resolve("usr/share/docker/version")).hasContent("28.0.4");
    }

    @Test
    void theBuiltInShipsTheSameDaemonAndUnitsUnderItsOwnName() {
        DaemonExtension builtIn = DaemonExtension.dockerFlatcarBuiltIn();
        Path root = builtIn.image(new OsRelease("debian", "12")).writeTree(tmp);

        assertThat(builtIn.units()).containsExactly("docker.service", "docker.socket");
        assertThat(root.resolve("usr/lib/extension-release.d/extension-release.docker-flatcar")).exists();
        assertThat(root.resolve("usr/bin/dockerd")).content().contains("docker-flatcar built-in $$");
        assertThat(root.resolve("usr/share/docker-flatcar/version")).exists();
        assertThat(DaemonExtension.containerdLike("1").units()).containsExactly("containerd.service");
    }
}
