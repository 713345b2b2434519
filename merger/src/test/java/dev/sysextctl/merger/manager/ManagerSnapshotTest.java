package dev.sysextctl.merger.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is read of a tree for PID 1: unit files, and EXTENSION_RELOAD_MANAGER as systemd's need_reload() reads it. */
class ManagerSnapshotTest {
    @TempDir
    Path root;

    private void release(String name, String body) throws Exception {
        Path d = Files.createDirectories(root.resolve("usr/lib/extension-release.d"));
        Files.writeString(d.resolve("extension-release." + name), body);
    }

    @Test
    void theUnitFilesOfBothUnitDirectoriesAreReadButNotTheirDirectoriesOrOtherFiles() throws Exception {
        Path lib = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Path local = Files.createDirectories(root.resolve("usr/local/lib/systemd/system"));
        Files.writeString(lib.resolve("docker.service"), "");
        Files.writeString(lib.resolve("worker@.service"), "");
        Files.createSymbolicLink(lib.resolve("dbus-org.example.service"), Path.of("docker.service"));
        Files.createDirectories(lib.resolve("multi-user.target.wants"));
        Files.createDirectories(lib.resolve("docker.service.d"));
        Files.writeString(lib.resolve("README"), "");
        Files.writeString(local.resolve("agent.timer"), "");
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\n");
        ManagerSnapshot s = ManagerSnapshot.read(Node.open(root, null, Map.of()));
        assertThat(s.unitFiles()).containsExactlyInAnyOrder("docker.service", "worker@.service",
                "dbus-org.example.service", "agent.timer");
        assertThat(s.extensions()).as("nothing is mounted here").isEmpty();
        assertThat(s.reloadRequests()).isEmpty();

        ManagerSnapshot optOnly = ManagerSnapshot.read(Node.open(root, null,
                Map.of("SYSTEMD_SYSEXT_HIERARCHIES", "/opt")));
        assertThat(optOnly.unitFiles()).as("/usr is not a hierarchy: its units cannot change").isEmpty();
    }

    @Test
    void anExtensionAsksForAReloadWhenItsReleaseSaysSoInAnyBooleanSpelling() throws Exception {
        release("docker", "ID=debian\nEXTENSION_RELOAD_MANAGER=1\n");
        release("agent", "ID=debian\nEXTENSION_RELOAD_MANAGER=yes\n");
        release("off", "ID=debian\nEXTENSION_RELOAD_MANAGER=0\n");
        release("junk", "ID=debian\nEXTENSION_RELOAD_MANAGER=maybe\n");
        release("plain", "ID=debian\n");
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\n");
        Node node = Node.open(root, null, Map.of());
        DirectoryImageFs tree = new DirectoryImageFs(root);
        assertThat(ManagerSnapshot.requestsReload(tree, "docker", node)).isTrue();
        assertThat(ManagerSnapshot.requestsReload(tree, "agent", node)).isTrue();
        assertThat(ManagerSnapshot.requestsReload(tree, "off", node)).isFalse();
        assertThat(ManagerSnapshot.requestsReload(tree, "junk", node)).isFalse();
        assertThat(ManagerSnapshot.requestsReload(tree, "plain", node)).isFalse();
        assertThat(ManagerSnapshot.requestsReload(tree, "gone", node)).as("no release: ignored, as systemd does")
                .isFalse();
    }
}
