package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sysextctl.e2e.NodeExtension.Nodes;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: sysextctl on a node without Java. The node gets no JDK and no jar from the host
 * ({@link Node.Builder#withoutJava()}); sysextctl's own sysext ({@code scripts/package}, {@link Dist}) is installed
 * the way Ignition does it (the image under {@code /opt/extensions/sysextctl/}, linked as
 * {@code /etc/extensions/sysextctl.raw}) into a torcx-era root ({@link TorcxEraRoot}), merged at the first boot, and
 * everything then runs from it: {@code status}, {@code list --json}, {@code enable --now} of a second image,
 * {@code explain}, {@code refresh} twice in a row (the running sysextctl lives in the very {@code /usr} overlay the
 * refresh replaces), and the torcx migration ({@code convert torcx-profile --root / --enable}, reboot, the migrated
 * units run), with sysextctl still working after the reboot.
 */
@Requires(docker = true, tools = {"mksquashfs", "unsquashfs", "dpkg-deb"})
@ExtendWith(NodeExtension.class)
class JavalessNodeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUT = "/var/tmp/torcx-migration";

    @TempDir
    Path tmp;

    @Test
    void sysextctlFromItsSysextManagesAndMigratesANodeThatHasNoJava(Nodes nodes) throws Exception {
        Dist dist = Dist.get();
        OsRelease os = TestbedImage.osRelease();
        Path root = TorcxEraRoot.write(tmp.resolve("root"), os);
        String file = dist.raw().getFileName().toString();
        Path installed = Files.createDirectories(root.resolve("opt/extensions/sysextctl")).resolve(file);
        Files.copy(dist.raw(), installed, StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/sysextctl.raw"),
                Path.of("/opt/extensions/sysextctl/" + file));

        Node node = nodes.create().withoutJava().tree(root).boot();
        assertThat(node.bootState()).as("no failed unit").isEqualTo("running");

        // no Java anywhere but in the sysext
        assertThat(node.exec("sh", "-c", "command -v java").exitCode()).as("java on PATH").isNotZero();
        assertThat(node.exec("ls", "-A", "/testbed/jdk").assertSuccess().stdout()).as("/testbed/jdk").isEmpty();
        assertThat(node.exists("/testbed/sysextctl.jar")).isFalse();
        assertThat(node.exec("sh", "-c", "find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o "
                + "\\( -name java -o -name 'libjvm.so' -o -name '*.jar' \\) -print").assertSuccess().stdout().lines())
                .containsExactlyInAnyOrder("/usr/lib/sysextctl/runtime/bin/java",
                        "/usr/lib/sysextctl/runtime/lib/server/libjvm.so", "/usr/lib/sysextctl/sysextctl.jar",
                        "/usr/lib/sysextctl/runtime/lib/jrt-fs.jar");
        assertThat(node.exec("sh", "-c", "readlink -f \"$(command -v sysextctl)\"").assertSuccess().stdout())
                .isEqualTo("/usr/lib/sysextctl/sysextctl\n");

        // status, list --json
        MergedSet.assertExactly(node, "sysextctl");
        Shell.Result status = node.sysextctl("status");
        assertThat(status.exitCode()).as(status.all()).isZero();
        assertThat(status.stdout()).contains("sysextctl");
        JsonNode list = JSON.readTree(node.sysextctl("list", "--json").assertSuccess().stdout());
        assertThat(list.toString()).contains("\"sysextctl\"", "/opt/extensions/sysextctl/" + file);

        // enable --now of a second image
        DaemonExtension agent = DaemonExtension.named("agent", "3.1");
        node.copyIn(agent.raw(os, tmp.resolve("agent")), "/opt/extensions/agent/agent-3.1.raw");
        Shell.Result enabled = node.sysextctl("enable", "--now", "/opt/extensions/agent/agent-3.1.raw");
        assertThat(enabled.exitCode()).as(enabled.all()).isZero();
        assertThat(enabled.stdout()).contains("created /etc/extensions/agent.raw", "merged 'agent', 'sysextctl'");
        MergedSet.assertExactly(node, "agent", "sysextctl");
        agent.assertRunning(node);

        // explain
        Shell.Result explained = node.sysextctl("explain", "agent");
        assertThat(explained.exitCode()).as(explained.all()).isZero();
        assertThat(explained.stdout()).contains("agent");

        // refresh twice in a row, from inside the overlay being replaced (the old one stays alive, detached, for the
        // running JVM): with systemd-sysext (engine auto), then with sysextctl's own mounts (engine native)
        for (String engine : List.of("auto", "auto", "native", "native")) {
            Shell.Result refreshed = node.sysextctl("refresh", "--engine", engine);
            assertThat(refreshed.exitCode()).as("refresh --engine %s: %s", engine, refreshed.all()).isZero();
            assertThat(refreshed.stderr()).as("refresh --engine %s", engine).doesNotContain("Exception", "Error:");
            MergedSet.assertExactly(node, "agent", "sysextctl");
        }
        agent.assertRunning(node);

        // the torcx migration, on the node, by the sysext's sysextctl
        Shell.Result converted = node.sysextctl("convert", "torcx-profile", "--root", "/", "--enable", "-o", OUT);
        assertThat(converted.exitCode()).as(converted.all()).isZero();
        JsonNode report = JSON.readTree(node.read(OUT + "/migration.json"));
        assertThat(report.get("complete").asBoolean()).isTrue();
        assertThat(report.get("images").get(0).get("status").asText()).isEqualTo("converted");

        node.restart();

        assertThat(node.bootState()).as("no failed unit").isEqualTo("running");
        MergedSet.assertExactly(node, "agent", "docker", "sysextctl");
        assertThat(TorcxMigrationIT.awaitActive(node, "containerd.service")).isEqualTo("loaded active/running");
        assertThat(TorcxMigrationIT.awaitActive(node, "docker.socket")).isEqualTo("loaded active/listening");
        assertThat(node.exec("bash", "-c", "command -v docker dockerd containerd").stdout())
                .isEqualTo("/usr/bin/docker\n/usr/bin/dockerd\n/usr/bin/containerd\n");
        agent.assertRunning(node);
        Shell.Result after = node.sysextctl("status", "--json");
        assertThat(after.exitCode()).as(after.all()).isZero();
        assertThat(after.stdout()).contains("\"docker\"", "\"sysextctl\"");
    }
}
