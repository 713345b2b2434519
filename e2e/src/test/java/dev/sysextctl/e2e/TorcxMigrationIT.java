package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sysextctl.e2e.NodeExtension.Nodes;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, scenario 3: torcx migration. A node whose root is laid out like a torcx-era Flatcar
 * ({@link TorcxEraRoot}: vendor and user profiles, {@code next-profile}, vendor and versioned user stores with the F1
 * docker archive, a user drop-in using {@code ${TORCX_BINDIR}}) runs {@code sysextctl convert torcx-profile --root /
 * --enable}. The report names the drop-in as a leftover; after a reboot docker.socket and containerd.service of the
 * converted image are active, their units mention torcx nowhere, and docker, dockerd and containerd resolve under
 * {@code /usr/bin}. Then the leftover is shown to be one: docker.service fails with the drop-in, and starts with the
 * replacement the report suggests.
 *
 * <p>On systemd 252 the units come up through the image's {@code Upholds=} drop-ins once the test bed's
 * {@code testbed-ensure-sysext.service} (Flatcar's ensure-sysext) has reloaded PID 1 after the boot-time merge.
 */
@Requires(docker = true)
@ExtendWith(NodeExtension.class)
class TorcxMigrationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUT = "/var/tmp/torcx-migration";
    private static final List<String> CONVERTED_UNITS = List.of("containerd.service", "docker.socket",
            "docker.service");

    @TempDir
    Path tmp;

    @Test
    void aTorcxEraNodeConvertedInPlaceRunsDockerFromItsSysextAfterAReboot(Nodes nodes) throws Exception {
        OsRelease os = TestbedImage.osRelease();
        Node node = nodes.create().tree(TorcxEraRoot.write(tmp.resolve("root"), os)).boot();
        assertThat(resolve(node).stdout()).as("torcx-era: nothing in /usr/bin")
                .isEmpty();
        assertThat(DaemonExtension.unitState(node, "containerd.service")).isEqualTo("not-found inactive/dead");

        Shell.Result converted = node.sysextctl("convert", "torcx-profile", "--root", "/", "--enable", "-o", OUT);
        assertThat(converted.exitCode()).as(converted.all()).isZero();
        JsonNode report = JSON.readTree(node.read(OUT + "/migration.json"));

        // what torcx applied at boot: the user's docker (upper profile, versioned user store), not the vendor's
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(report.at("/torcx/lowerProfiles").toString()).isEqualTo("[\"vendor\"]");
        assertThat(report.at("/torcx/upperProfile").asText()).isEqualTo(TorcxEraRoot.USER_PROFILE);
        assertThat(report.get("images")).hasSize(1);
        JsonNode docker = report.get("images").get(0);
        assertThat(docker.get("name").asText()).isEqualTo("docker");
        assertThat(docker.get("reference").asText()).isEqualTo(TorcxEraRoot.DOCKER_REFERENCE);
        assertThat(docker.get("status").asText()).isEqualTo("converted");
        assertThat(docker.get("archive").asText()).isEqualTo(TorcxEraRoot.userArchive(os));
        String image = "/opt/extensions/docker/" + Path.of(docker.get("output").asText()).getFileName();
        assertThat(image).endsWith("/docker-" + TorcxEraRoot.DOCKER_REFERENCE + "-"
                + docker.get("architecture").asText() + ".raw");

        // the leftover: the user's drop-in, with the line that uses TORCX_BINDIR and a replacement without torcx
        assertThat(report.get("leftovers")).hasSize(1);
        JsonNode leftover = report.get("leftovers").get(0);
        assertThat(leftover.get("path").asText()).isEqualTo(TorcxEraRoot.USER_DROP_IN);
        assertThat(leftover.get("kind").asText()).isEqualTo("drop-in");
        assertThat(leftover.at("/matches/0/text").asText()).contains("${TORCX_BINDIR}/dockerd");
        String suggestion = leftover.get("suggestion").asText();
        assertThat(suggestion).contains("ExecStart=/usr/bin/dockerd --host=fd:// ", TorcxEraRoot.DROP_IN_FLAG);
        assertThat(suggestion.lines().filter(l -> !l.startsWith("#"))).as("the suggestion, its comment left out")
                .noneMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("torcx"));
        assertThat(converted.stdout()).as("the summary").contains(TorcxEraRoot.USER_DROP_IN + " (drop-in)",
                "enabled: /etc/extensions/docker.raw -> " + image);
        assertThat(node.read(OUT + "/migration.txt")).isEqualTo(converted.stdout());

        // installed: the image under /opt/extensions, the link, Flatcar's built-ins masked
        assertThat(link(node, "/etc/extensions/docker.raw")).isEqualTo(image);
        assertThat(link(node, "/etc/extensions/docker-flatcar.raw")).isEqualTo("/dev/null");
        assertThat(link(node, "/etc/extensions/containerd-flatcar.raw")).isEqualTo("/dev/null");

        node.restart();

        assertThat(node.bootState()).as("no failed unit").isEqualTo("running");
        MergedSet.assertExactly(node, "docker");
        assertThat(DaemonExtension.unitState(node, "testbed-ensure-sysext.service")).isEqualTo("loaded active/exited");
        assertThat(awaitActive(node, "containerd.service")).isEqualTo("loaded active/running");
        assertThat(awaitActive(node, "docker.socket")).isEqualTo("loaded active/listening");
        assertThat(node.exec("stat", "-c", "%F %G %a", "/run/docker.sock").assertSuccess().stdout())
                .isEqualTo("socket docker 660\n");

        // containerd's main process is the image's, started with the config file the image ships
        String containerd = mainProcess(node, "containerd.service");
        assertThat(containerd).isEqualTo("/bin/sh /usr/bin/containerd --config /usr/share/containerd/config.toml");
        assertThat(node.journal("containerd.service")).contains("containerd fixture ready");

        // the units and drop-ins systemd loaded from the image mention torcx nowhere
        List<String> fromImage = unitFilesUnderUsr(node);
        assertThat(fromImage).contains("/usr/lib/systemd/system/containerd.service",
                "/usr/lib/systemd/system/docker.socket", "/usr/lib/systemd/system/docker.service",
                "/usr/lib/systemd/system/multi-user.target.d/10-containerd-service.conf",
                "/usr/lib/systemd/system/sockets.target.d/10-docker-socket.conf");
        Shell.Result torcx = node.exec(concat(List.of("grep", "-il", "torcx"), fromImage));
        assertThat(torcx.exitCode()).as("grep -il torcx %s: %s", fromImage, torcx.all()).isEqualTo(1);

        assertThat(resolve(node).stdout())
                .isEqualTo("/usr/bin/docker\n/usr/bin/dockerd\n/usr/bin/containerd\n");
        assertThat(node.exec("docker").assertSuccess().stdout()).isEqualTo("docker fixture\n");
        assertThat(node.exec("ctr").assertSuccess().stdout()).isEqualTo("ctr fixture\n");

        // The leftover is real: docker.service (socket-activated, so not started at boot) fails with the drop-in...
        Shell.Result broken = node.exec("systemctl", "start", "docker.service");
        assertThat(broken.exitCode()).as("docker.service with the torcx-era drop-in").isNotZero();
        // ${TORCX_BINDIR} is empty now: env is asked to run "/dockerd" (coreutils quotes it as the locale likes)
        assertThat(awaitJournal(node, "docker.service", "No such file or directory"))
                .containsPattern("/usr/bin/env: .?/dockerd.?: No such file or directory");
        // ... and starts with the replacement the report suggests.
        node.write(TorcxEraRoot.USER_DROP_IN, suggestion, 0644);
        node.shOk("systemctl daemon-reload; systemctl reset-failed docker.service docker.socket\n"
                + "systemctl start docker.service");
        assertThat(awaitActive(node, "docker.service")).isEqualTo("loaded active/running");
        assertThat(mainProcess(node, "docker.service")).startsWith("/bin/sh /usr/bin/dockerd --host=fd:// ")
                .contains(TorcxEraRoot.DROP_IN_FLAG);
        assertThat(awaitActive(node, "containerd.service")).isEqualTo("loaded active/running");
        assertThat(DaemonExtension.unitState(node, "docker.socket")).isEqualTo("loaded active/running");
    }

    /** What the node's shell finds for docker, dockerd and containerd (bash: dash's command -v takes one name). */
    private static Shell.Result resolve(Node node) {
        return node.exec("bash", "-c", "command -v docker dockerd containerd");
    }

    /** The unit's journal once it holds {@code text} (journald may lag behind a failed start), or after 10 s. */
    private static String awaitJournal(Node node, String unit, String text) {
        long end = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        String journal = node.journal(unit);
        while (!journal.contains(text) && System.nanoTime() < end) {
            node.exec("sleep", "0.2");
            journal = node.journal(unit);
        }
        assertThat(journal).as("the journal of %s", unit).contains(text);
        return journal;
    }

    /** The unit's state once it settled (a unit upheld after the boot-time reload may still be starting). */
    static String awaitActive(Node node, String unit) {
        node.exec("sh", "-c", """
                end=$(( $(date +%s) + 15 ))
                while [ "$(systemctl show -P ActiveState "$1")" != active ] && [ "$(date +%s)" -lt "$end" ]; do
                  sleep 0.1
                done
                """, "await-active", unit);
        return DaemonExtension.unitState(node, unit);
    }

    /** The command line of the unit's main process. */
    private static String mainProcess(Node node, String unit) {
        return node.exec("sh", "-c", "pid=$(systemctl show -P MainPID \"$1\"); tr '\\0' ' ' </proc/$pid/cmdline",
                "main-process", unit).assertSuccess().stdout().strip();
    }

    /** The unit files and drop-ins of the converted units and of their targets that systemd loaded from /usr (real paths). */
    private static List<String> unitFilesUnderUsr(Node node) {
        List<String> units = new ArrayList<>(CONVERTED_UNITS);
        units.addAll(List.of("multi-user.target", "sockets.target"));
        List<String> files = new ArrayList<>();
        for (String unit : units) {
            String paths = node.exec("systemctl", "show", "-P", "FragmentPath", unit).assertSuccess().stdout()
                    + " " + node.exec("systemctl", "show", "-P", "DropInPaths", unit).assertSuccess().stdout();
            // on a merged-/usr node systemd may name a unit by its /lib path
            String real = node.exec(concat(List.of("realpath", "-e", "--"), List.of(paths.strip().split("\\s+"))))
                    .assertSuccess().stdout();
            real.lines().filter(path -> path.startsWith("/usr/")).forEach(files::add);
        }
        return files;
    }

    private static String link(Node node, String path) {
        return node.exec("readlink", path).assertSuccess().stdout().strip();
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
