package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.e2e.NodeExtension.Nodes;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, scenario 2: day two. Inside a running node, {@code sysextctl enable --now} new images, {@code disable --now}
 * one, {@code mask --now} an image another channel placed in {@code /var/lib/extensions}, and {@code refresh} after an
 * image was replaced in place (as systemd-sysupdate does: new file, link switched). After each step the merged set
 * (both status commands, the mount table, the markers) and the running units agree; after a reboot the state persists.
 *
 * <p>The units follow by sysextctl alone, which systemd-sysext 252 does not do: after each change sysextctl reloads
 * PID 1 (the images say {@code EXTENSION_RELOAD_MANAGER=1}), so the units an image brings are started by their
 * targets' {@code Upholds=} without the test reloading anything, and it stops the units whose image left (after the
 * reload they are {@code not-found} but still running). The test never runs {@code systemctl daemon-reload}; one
 * step uses the native engine, the others the node's systemd-sysext 252.
 */
@Requires(docker = true, tools = {"mksquashfs"})
@ExtendWith(NodeExtension.class)
class DayTwoIT {
    @TempDir
    Path tmp;

    @Test
    void enableDisableMaskAndRefreshOnARunningNodeKeepMergeAndUnitsInStepAndSurviveAReboot(Nodes nodes) {
        OsRelease os = TestbedImage.osRelease();
        DaemonExtension agent = DaemonExtension.named("agent", "3.1");
        DaemonExtension docker = DaemonExtension.dockerLike("28.0.4");
        DaemonExtension dockerUpdate = DaemonExtension.dockerLike("28.1.0");
        DaemonExtension containerd = DaemonExtension.containerdLike("1.7.27");
        Path agentRaw = agent.raw(os, tmp.resolve("agent"));
        Path dockerRaw = docker.raw(os, tmp.resolve("docker"));
        Path dockerUpdateRaw = dockerUpdate.raw(os, tmp.resolve("docker-update"));
        Path containerdRaw = containerd.raw(os, tmp.resolve("containerd"));

        // Booted with an image another channel put in /var/lib/extensions.
        Node node = nodes.create().file("/var/lib/extensions/agent.raw", agentRaw).boot();
        MergedSet.assertExactly(node, "agent");
        agent.assertRunning(node);

        // enable --now: a new image, linked from /etc/extensions, merged, its units started.
        node.copyIn(dockerRaw, "/opt/extensions/docker/docker-28.0.4.raw");
        node.copyIn(containerdRaw, "/opt/extensions/containerd/containerd-1.7.27.raw");
        Shell.Result enabled = node.sysextctl("enable", "--now", "/opt/extensions/docker/docker-28.0.4.raw");
        assertThat(enabled.exitCode()).as(enabled.all()).isZero();
        assertThat(enabled.stdout()).contains("created /etc/extensions/docker.raw", "merged 'agent', 'docker'");
        assertThat(link(node, "/etc/extensions/docker.raw")).endsWith("/opt/extensions/docker/docker-28.0.4.raw");
        assertThat(enabled.stdout()).contains("reloaded the service manager (EXTENSION_RELOAD_MANAGER=1 in 'agent', "
                + "'docker')").doesNotContain("stopped");
        assertPid1UpToDate(node, docker);
        MergedSet.assertExactly(node, "agent", "docker");
        docker.assertRunning(node);
        agent.assertRunning(node);

        Shell.Result enabled2 = node.sysextctl("enable", "--now", "/opt/extensions/containerd/containerd-1.7.27.raw");
        assertThat(enabled2.exitCode()).as(enabled2.all()).isZero();
        assertThat(enabled2.stdout()).contains("reloaded the service manager");
        MergedSet.assertExactly(node, "agent", "containerd", "docker");
        containerd.assertRunning(node);
        docker.assertRunning(node);

        // disable --now: the link goes, the image file stays, the merge and the units follow.
        Shell.Result disabled = node.sysextctl("disable", "--now", "containerd");
        assertThat(disabled.exitCode()).as(disabled.all()).isZero();
        assertThat(disabled.stdout()).contains("removed /etc/extensions/containerd.raw");
        assertThat(node.exists("/etc/extensions/containerd.raw")).isFalse();
        assertThat(node.exists("/opt/extensions/containerd/containerd-1.7.27.raw")).isTrue();
        assertThat(disabled.stdout()).contains("reloaded the service manager", "stopped containerd.service (unit file "
                + "gone with the unmerged image)");
        MergedSet.assertExactly(node, "agent", "docker");
        assertThat(node.exists(containerd.daemonPath())).isFalse();
        containerd.assertStopped(node);
        docker.assertRunning(node);

        // mask --now (native engine): the image in /var/lib/extensions stays where it is but is no longer merged.
        Shell.Result masked = node.sysextctl("mask", "--now", "--engine", "native", "agent");
        assertThat(masked.exitCode()).as(masked.all()).isZero();
        assertThat(masked.stdout()).contains("(engine native)", "reloaded the service manager",
                "stopped agent.service");
        assertThat(node.exec("find", "/etc/extensions/agent", "-maxdepth", "0", "-type", "d", "-empty").stdout())
                .as("the mask is an empty directory").isEqualTo("/etc/extensions/agent\n");
        assertThat(node.exists("/var/lib/extensions/agent.raw")).isTrue();
        MergedSet.assertExactly(node, "docker");
        assertThat(node.exists(agent.daemonPath())).isFalse();
        agent.assertStopped(node);
        docker.assertRunning(node);

        // refresh: the image was replaced in place, the way systemd-sysupdate does it (new file, link switched).
        node.copyIn(dockerUpdateRaw, "/opt/extensions/docker/docker-28.1.0.raw");
        node.shOk("ln -s ../../opt/extensions/docker/docker-28.1.0.raw /etc/extensions/.#docker.raw.new\n"
                + "mv -T /etc/extensions/.#docker.raw.new /etc/extensions/docker.raw");
        assertThat(node.read(docker.versionFile())).as("before the refresh").isEqualTo("28.0.4\n");
        Shell.Result refreshed = node.sysextctl("refresh");
        assertThat(refreshed.exitCode()).as(refreshed.all()).isZero();
        assertThat(refreshed.stdout()).contains("reloaded the service manager").doesNotContain("stopped");
        MergedSet.assertExactly(node, "docker");
        assertThat(node.read(docker.versionFile())).as("after the refresh").isEqualTo("28.1.0\n");
        docker.assertRunning(node); // a refresh restarts no unit: the old daemon still runs
        node.exec("systemctl", "restart", docker.serviceUnit()).assertSuccess();
        dockerUpdate.assertRunning(node);

        // unmerge, then merge: the units go with the merge and come back with it.
        Shell.Result unmerged = node.sysextctl("unmerge");
        assertThat(unmerged.exitCode()).as(unmerged.all()).isZero();
        assertThat(unmerged.stdout()).contains("unmerged /usr", "reloaded the service manager (EXTENSION_RELOAD_MANAGER=1 "
                + "in 'docker')", "stopped docker.service, docker.socket");
        MergedSet.assertExactly(node);
        dockerUpdate.assertStopped(node);
        Shell.Result merged = node.sysextctl("merge");
        assertThat(merged.exitCode()).as(merged.all()).isZero();
        assertThat(merged.stdout()).contains("reloaded the service manager");
        MergedSet.assertExactly(node, "docker");
        dockerUpdate.assertRunning(node);

        // --no-reload: the merge changes, PID 1 is left alone (and so are the units).
        Shell.Result quiet = node.sysextctl("disable", "--now", "--no-reload", "docker");
        assertThat(quiet.exitCode()).as(quiet.all()).isZero();
        assertThat(quiet.stdout()).doesNotContain("reloaded", "stopped");
        MergedSet.assertExactly(node);
        assertThat(DaemonExtension.unitState(node, docker.serviceUnit())).as("PID 1 was not reloaded")
                .isEqualTo("loaded active/running");
        assertThat(node.exec("systemctl", "show", "-P", "NeedDaemonReload", docker.serviceUnit()).stdout().strip())
                .isEqualTo("yes");
        Shell.Result back = node.sysextctl("enable", "--now", "--no-reload", "/opt/extensions/docker/docker-28.1.0.raw");
        assertThat(back.exitCode()).as(back.all()).isZero();
        MergedSet.assertExactly(node, "docker");
        dockerUpdate.assertRunning(node);

        // reboot: the same state, set up by systemd-sysext.service alone.
        node.restart();
        assertThat(node.bootState()).as("no failed unit").isEqualTo("running");
        MergedSet.assertExactly(node, "docker");
        dockerUpdate.assertRunning(node);
        agent.assertStopped(node);
        containerd.assertStopped(node);
        assertThat(node.exists(agent.versionFile())).isFalse();
        assertThat(node.exists(containerd.versionFile())).isFalse();
        assertThat(node.exec("find", "/etc/extensions", "-mindepth", "1", "-printf", "%P %y\\n").stdout().lines()
                .sorted()).containsExactly("agent d", "docker.raw l");
        assertThat(node.journal("systemd-sysext.service")).contains("Using extensions 'docker'.");
    }

    /** PID 1 knows the units an image brought (LoadState=loaded) and needs no reload for them. */
    private static void assertPid1UpToDate(Node node, DaemonExtension ext) {
        for (String unit : ext.units()) {
            assertThat(node.exec("systemctl", "show", "-P", "LoadState", unit).stdout().strip()).as(unit)
                    .isEqualTo("loaded");
            assertThat(node.exec("systemctl", "show", "-P", "NeedDaemonReload", unit).stdout().strip()).as(unit)
                    .isEqualTo("no");
        }
    }

    private static String link(Node node, String path) {
        return node.exec("readlink", path).assertSuccess().stdout().strip();
    }
}
