package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sysextctl.e2e.NodeExtension.Nodes;
import dev.sysextctl.testing.LocalHttpServer;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, scenario 1: first boot, Flatcar style. A config from {@code sysextctl ignition} (spec 3.3.0) is applied to
 * the node's root by the real Ignition files stage before the first boot, with images of a docker-like and a
 * containerd-like extension downloaded from a local HTTP server and Flatcar's built-in docker masked. At the first
 * boot {@code systemd-sysext.service} merges both images, the built-in stays out, the units the images bring run,
 * and {@code sysextctl status} agrees with {@code systemd-sysext status}.
 *
 * <p>The built-in is simulated as on Flatcar: {@code /usr/share/flatcar/sysext/docker-flatcar.raw} and the link
 * {@code /etc/extensions/docker-flatcar.raw} to it, present in the root before Ignition runs (Ignition must
 * overwrite the link). Its files would win over the docker-like image's if it were merged.
 */
@Requires(root = true, mounts = true, docker = true, tools = {"mksquashfs", "unshare", "timeout"})
@ExtendWith(NodeExtension.class)
class FirstBootIT {
    private static final String BUILT_IN = "/usr/share/flatcar/sysext/docker-flatcar.raw";

    @TempDir
    Path tmp;

    @Test
    void anIgnitionConfigFromSysextctlInstallsTheImagesThatMergeAndRunAtTheFirstBoot(Nodes nodes) throws Exception {
        OsRelease os = TestbedImage.osRelease();
        DaemonExtension docker = DaemonExtension.dockerLike("28.0.4");
        DaemonExtension containerd = DaemonExtension.containerdLike("1.7.27");
        DaemonExtension builtIn = DaemonExtension.dockerFlatcarBuiltIn();
        Path site = Files.createDirectories(tmp.resolve("site"));
        Path dockerRaw = publish(docker.raw(os, tmp.resolve("build")), site);
        Path containerdRaw = publish(containerd.raw(os, tmp.resolve("build")), site);

        // The node's root before its first boot: Flatcar's built-in docker, enabled by a link in /etc/extensions.
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path builtInRaw = root.resolve(BUILT_IN.substring(1));
        Files.createDirectories(builtInRaw.getParent());
        Files.copy(builtIn.raw(os, tmp.resolve("build")), builtInRaw);
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"), Path.of(BUILT_IN));

        IgnitionClient ignition = IgnitionClient.trixie();
        Path config = tmp.resolve("config.ign");
        try (LocalHttpServer http = new LocalHttpServer(site, "/sysext")) {
            Shell.Result generated = HostSysextctl.run("ignition", dockerRaw.toString(), containerdRaw.toString(),
                    "--base-url", http.url("/sysext"), "--ignition-version", "3.3.0", "--mask", "docker-flatcar",
                    "-o", config.toString());
            assertThat(generated.exitCode()).as(generated.all()).isZero();
            Shell.Result valid = ignition.validate(config);
            assertThat(valid.exitCode()).as(valid.all()).isZero();
            assertThat(valid.all()).as("ignition-validate says nothing").isBlank();

            long start = System.nanoTime();
            Shell.Result applied = ignition.applyFilesStage(config, root, tmp);
            Timings.record("ignition fetch-offline + files (host)", Duration.ofNanos(System.nanoTime() - start));
            assertThat(applied.exitCode()).as(applied.all()).isZero();
            assertThat(applied.stdout()).contains("Stage: files").doesNotContain("CRITICAL");
            assertThat(http.requests()).containsExactlyInAnyOrder("/sysext/docker.raw", "/sysext/containerd.raw");
        }
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw")))
                .as("Ignition overwrote the built-in's link").isEqualTo(Path.of("/dev/null"));
        assertThat(root.resolve("etc/extensions/docker-flatcar")).as("Ignition wrote the mask directory")
                .isEmptyDirectory();
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker.raw")))
                .isEqualTo(Path.of("/opt/extensions/docker/docker.raw"));
        assertThat(root.resolve("opt/extensions/docker/docker.raw")).hasSameBinaryContentAs(dockerRaw);
        assertThat(root.resolve("opt/extensions/containerd/containerd.raw")).hasSameBinaryContentAs(containerdRaw);

        Node node = nodes.create().tree(root).boot();

        assertThat(node.bootState()).as("no failed unit").isEqualTo("running");
        assertThat(DaemonExtension.unitState(node, "systemd-sysext.service")).isEqualTo("loaded active/exited");
        assertThat(node.journal("systemd-sysext.service")).contains("Using extensions 'containerd', 'docker'.");
        MergedSet.assertExactly(node, "containerd", "docker");

        assertThat(node.exists(BUILT_IN)).as("the built-in image is still there").isTrue();
        assertThat(node.exists(builtIn.versionFile())).as("nothing of the built-in is merged").isFalse();
        assertThat(node.read(docker.versionFile())).isEqualTo("28.0.4\n");
        assertThat(node.read(containerd.versionFile())).isEqualTo("1.7.27\n");
        docker.assertRunning(node);
        containerd.assertRunning(node);

        JsonNode explained = new ObjectMapper().readTree(node.sysextctl("explain", "--json", "docker-flatcar")
                .assertSuccess().stdout());
        assertThat(explained.get("merged").asBoolean()).isFalse();
        assertThat(explained.get("entries")).as("only the mask directory Ignition wrote is named docker-flatcar")
                .singleElement().satisfies(e -> {
                    assertThat(e.get("path").asText()).isEqualTo("/etc/extensions/docker-flatcar");
                    assertThat(e.get("type").asText()).isEqualTo("directory");
                    assertThat(e.get("state").asText()).isEqualTo("masked");
                });
        assertThat(explained.get("ignoredEntries").toString()).contains("/etc/extensions/docker-flatcar.raw");
    }

    private static Path publish(Path raw, Path site) throws Exception {
        return Files.copy(raw, site.resolve(raw.getFileName()));
    }
}
