package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A docker-like or containerd-like system extension, shaped like Flatcar's: a daemon (a shell script that records
 * who it is and sleeps), its units, {@code Upholds=} drop-ins that start them with their targets, and
 * {@code EXTENSION_RELOAD_MANAGER=1}. The running daemon writes {@code EXTENSION VERSION PID} to
 * {@link #stateFile()}, so a test can tell which image's daemon runs and that it is the unit's main process.
 *
 * @param name the extension name (image {@code NAME.raw}, {@code extension-release.NAME})
 * @param service the daemon's name: {@code /usr/bin/SERVICEd}, {@code SERVICE.service} (and {@code SERVICE.socket})
 * @param version written as {@code SYSEXT_VERSION_ID} and to {@link #versionFile()}
 * @param socket whether a socket unit comes with it ({@code SERVICE.socket} on {@code /run/SERVICE.sock}, upheld
 *     by {@code sockets.target}, as Flatcar's docker)
 */
public record DaemonExtension(String name, String service, String version, boolean socket) {
    /** How long a unit may take to come up after a boot or a reload. */
    private static final int SETTLE_SECONDS = 15;

    /** Docker-like: {@code dockerd}, {@code docker.service} (wants containerd) and {@code docker.socket}. */
    public static DaemonExtension dockerLike(String version) {
        return new DaemonExtension("docker", "docker", version, true);
    }

    /** Containerd-like: {@code containerdd} and {@code containerd.service}. */
    public static DaemonExtension containerdLike(String version) {
        return new DaemonExtension("containerd", "containerd", version, false);
    }

    /**
     * Flatcar's built-in docker ({@code /usr/share/flatcar/sysext/docker-flatcar.raw}): the same daemon and units as
     * {@link #dockerLike}. Its name sorts after {@code docker}, so if both were merged it would win every file.
     */
    public static DaemonExtension dockerFlatcarBuiltIn() {
        return new DaemonExtension("docker-flatcar", "docker", "built-in", true);
    }

    /** Another daemon, without a socket (e.g. an agent a vendor places in /var/lib/extensions). */
    public static DaemonExtension named(String name, String version) {
        return new DaemonExtension(name, name, version, false);
    }

    public String daemonPath() {
        return "/usr/bin/" + service + "d";
    }

    /** A file only this extension ships: {@code /usr/share/NAME/version}. */
    public String versionFile() {
        return "/usr/share/" + name + "/version";
    }

    public String serviceUnit() {
        return service + ".service";
    }

    public String socketUnit() {
        return service + ".socket";
    }

    public String socketPath() {
        return "/run/" + service + ".sock";
    }

    /** Where the running daemon says who it is ({@code NAME VERSION PID}). */
    public String stateFile() {
        return "/run/" + service + "/daemon";
    }

    /** The units it brings. */
    public List<String> units() {
        return socket ? List.of(serviceUnit(), socketUnit()) : List.of(serviceUnit());
    }

    /** The extension for {@code os} (its {@code ID} and {@code VERSION_ID}). */
    public ExtensionImage image(OsRelease os) {
        List<String> release = new ArrayList<>(Arrays.asList(os.extensionReleaseLines()));
        release.add("SYSEXT_VERSION_ID=" + version);
        release.add("EXTENSION_RELOAD_MANAGER=1");
        String deps = service.equals("docker")
                ? "Wants=containerd.service\nAfter=containerd.service docker.socket\nRequires=docker.socket\n" : "";
        ExtensionImage image = ExtensionImage.named(name)
                .release(release.toArray(String[]::new))
                .file(daemonPath().substring(1), """
                        #!/bin/sh
                        # %1$sd %2$s of extension %3$s: a stand-in daemon for the end-to-end tests
                        mkdir -p /run/%1$s
                        echo "%3$s %2$s $$" >/run/%1$s/daemon.tmp
                        mv -f /run/%1$s/daemon.tmp /run/%1$s/daemon
                        echo "%1$sd %2$s (extension %3$s) running as $$"
                        exec sleep infinity
                        """.formatted(service, version, name), 0755)
                .file(versionFile().substring(1), version + "\n", 0644)
                .unit(serviceUnit(), """
                        [Unit]
                        Description=%1$s-like daemon %2$s (extension %3$s)
                        %4$s
                        [Service]
                        Type=simple
                        ExecStart=%5$s
                        """.formatted(service, version, name, deps, daemonPath()))
                .upheldBy("multi-user.target", serviceUnit());
        if (socket) {
            image.unit(socketUnit(), """
                    [Unit]
                    Description=%1$s-like API socket (extension %2$s)
                    [Socket]
                    ListenStream=%3$s
                    SocketMode=0660
                    """.formatted(service, name, socketPath()))
                    .upheldBy("sockets.target", socketUnit());
        }
        return image;
    }

    /** The image file, made in {@code dir} ({@code dir/NAME.raw}). */
    public Path raw(OsRelease os, Path dir) {
        return image(os).squashfs(dir);
    }

    /**
     * Asserts that this extension's daemon runs as its unit's main process (within a few seconds: the units may still
     * be starting after a boot or a reload), and that its socket listens.
     */
    public void assertRunning(Node node) {
        Shell.Result r = node.exec("sh", "-c", """
                unit=$1 state=$2 end=$(( $(date +%s) + $3 ))
                while :; do
                  active=$(systemctl show -P ActiveState "$unit") sub=$(systemctl show -P SubState "$unit")
                  pid=$(systemctl show -P MainPID "$unit")
                  if [ "$active/$sub" = active/running ] && [ -s "$state" ] && [ "$(cut -d' ' -f3 "$state")" = "$pid" ]; then
                    break
                  fi
                  if [ "$(date +%s)" -ge "$end" ]; then break; fi
                  sleep 0.1
                done
                echo "$active/$sub $pid"
                cat "$state" 2>/dev/null || echo "(no $state)"
                test -d "/proc/$pid" && echo alive || echo "no process $pid"
                """, "await-daemon", serviceUnit(), stateFile(), Integer.toString(SETTLE_SECONDS));
        String[] lines = r.assertSuccess().stdout().split("\n");
        String pid = lines[0].substring(lines[0].indexOf(' ') + 1);
        assertThat(lines[0]).as("%s of extension %s", serviceUnit(), name).startsWith("active/running ");
        assertThat(lines[1]).as("what the daemon of %s says", serviceUnit()).isEqualTo(name + " " + version + " " + pid);
        assertThat(lines[2]).as("its main process").isEqualTo("alive");
        if (socket) {
            // "running" once the service it belongs to runs, "listening" before
            assertThat(unitState(node, socketUnit())).as(socketUnit()).matches("loaded active/(listening|running)");
            assertThat(node.exec("test", "-S", socketPath()).exitCode()).as("%s is a socket", socketPath()).isZero();
        }
    }

    /**
     * Asserts that none of its units is active (whether loaded from a merged image or left over after its image left)
     * and that the daemon that last ran, if any, is gone.
     */
    public void assertStopped(Node node) {
        for (String unit : units()) {
            assertThat(unitState(node, unit)).as(unit).endsWith(" inactive/dead");
        }
        Shell.Result state = node.exec("cat", stateFile());
        if (state.exitCode() == 0) {
            String pid = state.stdout().strip().substring(state.stdout().strip().lastIndexOf(' ') + 1);
            assertThat(node.exists("/proc/" + pid)).as("the last daemon of %s (%s) is gone", name, state.stdout().strip())
                    .isFalse();
        }
    }

    /** {@code LOAD ACTIVE/SUB} of a unit, e.g. {@code loaded active/running} or {@code not-found inactive/dead}. */
    public static String unitState(Node node, String unit) {
        Map<String, String> p = new HashMap<>();
        node.exec("systemctl", "show", "-p", "LoadState,ActiveState,SubState", unit).assertSuccess().stdout().lines()
                .map(l -> l.split("=", 2)).filter(kv -> kv.length == 2).forEach(kv -> p.put(kv[0], kv[1]));
        return p.get("LoadState") + " " + p.get("ActiveState") + "/" + p.get("SubState");
    }
}
