package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, scenario 4: refusal on the node. An image built for another version of the node's OS is refused by
 * {@code sysextctl enable} and enabled with {@code --force}; after a reboot systemd-sysext leaves it out (and merges
 * the compatible image beside it), and {@code sysextctl explain NAME} on the node names the rule and the very message
 * systemd-sysext logs for it.
 */
@Requires(docker = true, tools = {"mksquashfs"})
@ExtendWith(NodeExtension.class)
class RefusalIT {
    @TempDir
    Path tmp;

    @Test
    void anImageForAnotherOsVersionEnabledWithForceIsLeftOutAtBootAndExplainSaysWhy(Node node) throws Exception {
        OsRelease os = TestbedImage.osRelease();
        OsRelease other = os.otherVersion();
        DaemonExtension containerd = DaemonExtension.containerdLike("1.7.27");
        DaemonExtension old = DaemonExtension.dockerLike("20.10.24");
        node.copyIn(containerd.raw(os, tmp.resolve("containerd")), "/opt/extensions/containerd/containerd.raw");
        node.copyIn(old.raw(other, tmp.resolve("docker")), "/opt/extensions/docker/docker.raw");

        node.sysextctl("enable", "/opt/extensions/containerd/containerd.raw").assertSuccess();
        Shell.Result refused = node.sysextctl("enable", "/opt/extensions/docker/docker.raw");
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(3);
        assertThat(refused.stderr()).contains("VERSION_ID=" + other.versionId(), "--force");
        assertThat(node.exists("/etc/extensions/docker.raw")).as("nothing half-done").isFalse();

        Shell.Result forced = node.sysextctl("enable", "--force", "/opt/extensions/docker/docker.raw");
        assertThat(forced.exitCode()).as(forced.all()).isZero();
        assertThat(node.exec("readlink", "/etc/extensions/docker.raw").assertSuccess().stdout())
                .endsWith("/opt/extensions/docker/docker.raw\n");

        node.restart();

        assertThat(node.bootState()).as("no failed unit").isEqualTo("running");
        assertThat(node.journal("systemd-sysext.service")).contains("Using extensions 'containerd'.");
        MergedSet.assertExactly(node, "containerd");
        containerd.assertRunning(node);
        assertThat(node.exists(old.versionFile())).isFalse();
        assertThat(node.exists(old.daemonPath())).isFalse();
        assertThat(DaemonExtension.unitState(node, old.serviceUnit())).isEqualTo("not-found inactive/dead");

        Shell.Result text = node.sysextctl("explain", "docker");
        assertThat(text.exitCode()).as(text.all()).isZero();
        JsonNode json = new ObjectMapper().readTree(node.sysextctl("explain", "--json", "docker").assertSuccess()
                .stdout());
        JsonNode entry = json.get("entries").get(0);
        assertThat(json.get("merged").asBoolean()).isFalse();
        assertThat(entry.get("path").asText()).isEqualTo("/etc/extensions/docker.raw");
        assertThat(entry.get("rule").asText()).isEqualTo("version-id");
        String systemdSays = entry.get("systemdMessage").asText();
        assertThat(systemdSays).isEqualTo("Extension 'docker' is for OS '" + other.versionId()
                + "', but deployed on top of '" + os.versionId() + "'.");
        assertThat(text.stdout()).contains("not merged", "version-id", systemdSays);

        // The oracle: systemd-sysext logs exactly that message (at debug level) when it leaves the image out.
        Shell.Result oracle = node.exec("env", "SYSTEMD_LOG_LEVEL=debug", "systemd-sysext", "refresh");
        assertThat(oracle.exitCode()).as(oracle.all()).isZero();
        assertThat(oracle.all()).contains(systemdSays, "Using extensions 'containerd'.");
        MergedSet.assertExactly(node, "containerd");
    }
}
