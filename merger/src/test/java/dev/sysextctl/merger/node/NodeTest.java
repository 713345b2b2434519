package dev.sysextctl.merger.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.SystemdVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {
    @TempDir
    Path root;

    @Test
    void versionComesFromTheFlagThenTheTreesSystemdThen252() throws Exception {
        assertThat(Node.open(root, null, Map.of()).systemdVersion()).isEqualTo(SystemdVersion.V252);
        Path lib = Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu/systemd"));
        Files.writeString(lib.resolve("libsystemd-shared-257.so"), "");
        Node n = Node.open(root, null, Map.of());
        assertThat(n.systemdVersion().major()).isEqualTo(257);
        assertThat(n.versionOrigin()).contains("libsystemd-shared-257.so");
        assertThat(Node.open(root, new SystemdVersion(254), Map.of()).systemdVersion().major()).isEqualTo(254);
        Files.createDirectories(root.resolve("usr/lib64/systemd"));
        Files.delete(lib.resolve("libsystemd-shared-257.so"));
        Files.writeString(root.resolve("usr/lib64/systemd/libsystemd-shared-256.5-1.fc41.so"), "");
        assertThat(Node.open(root, null, Map.of()).systemdVersion().major()).isEqualTo(256);
    }

    @Test
    void hierarchiesFromTheEnvironment() throws Exception {
        assertThat(Hierarchies.parse(null)).containsExactly("/usr", "/opt");
        assertThat(Hierarchies.parse("/srv:/usr")).containsExactly("/srv", "/usr");
        for (String bad : new String[] {"", "usr", "/", "/usr/", "/usr/../opt"}) {
            assertThatThrownBy(() -> Hierarchies.parse(bad)).as(bad).isInstanceOf(UsageException.class)
                    .hasMessageContaining("Failed to parse $SYSTEMD_SYSEXT_HIERARCHIES environment variable");
        }
        assertThat(Node.open(root, null, Map.of("SYSTEMD_SYSEXT_HIERARCHIES", "/usr")).hierarchies())
                .containsExactly("/usr");
    }

    @Test
    void scopeIsInitrdWhenTheTreeIsAnInitrdOrTheEnvironmentSaysSo() throws Exception {
        assertThat(Node.open(root, null, Map.of()).scope()).isEqualTo(TargetOs.SCOPE_SYSTEM);
        assertThat(Node.open(root, null, Map.of("SYSTEMD_IN_INITRD", "1")).scope()).isEqualTo(TargetOs.SCOPE_INITRD);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/initrd-release"), "ID=debian\n");
        assertThat(Node.open(root, null, Map.of()).scope()).isEqualTo(TargetOs.SCOPE_INITRD);
        assertThat(Node.open(root, null, Map.of("SYSTEMD_IN_INITRD", "no")).scope()).isEqualTo(TargetOs.SCOPE_SYSTEM);
    }

    @Test
    void targetOsUsesSystemdsLookupAndMessages() throws Exception {
        Node n = Node.open(root, null, Map.of());
        assertThatThrownBy(n::targetOs).isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("Failed to acquire 'os-release' data of OS tree '" + root.toRealPath()
                        + "': No such file or directory");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        assertThat(n.targetOs().id()).isEqualTo("debian");
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "VERSION_ID=12\n");
        assertThatThrownBy(n::targetOs).hasMessageStartingWith("'ID' field not found or empty in 'os-release' data");
        Node custom = Node.open(root, null, Map.of("SYSTEMD_OS_RELEASE", "/usr/lib/os-release"));
        assertThat(custom.targetOs().versionId()).isEqualTo("12");
    }

    @Test
    void pathsResolveInsideTheRootOnly() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/extensions"), Path.of("/../../../../var/ext"));
        Node n = Node.open(root, null, Map.of());
        assertThat(n.resolve("/etc/extensions/x.raw")).isEqualTo(root.toRealPath().resolve("var/ext/x.raw"));
        assertThat(n.onNode(root.toRealPath().resolve("var/ext/x.raw"))).isEqualTo("/var/ext/x.raw");
        assertThatThrownBy(() -> Node.open(root.resolve("missing"), null, Map.of()))
                .isInstanceOf(UsageException.class);
        assertThat(List.of(n.isHostRoot(), Node.open(Path.of("/"), null, Map.of()).isHostRoot()))
                .containsExactly(false, true);
    }
}
