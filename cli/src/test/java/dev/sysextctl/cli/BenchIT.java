package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scripts/bench keeps working: a quick run of its short workloads against the real mksquashfs and systemd-sysext
 * (with this build's jar) prints one JSON document whose rows carry both medians and a ratio, the targets of
 * issue 7 and a verdict, and removes its scratch directory. It checks the harness, not the figures: timings are
 * never asserted in tests.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unshare", "python3"})
class BenchIT {
    @Test
    void aQuickRunPrintsEveryRowWithARatioAsJson() throws Exception {
        Path repo = TestEnvironment.repository();
        Path tmp = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))),
                "bench");
        Shell.Result r = Shell.run(List.of(repo.resolve("scripts/bench").toString(), "--quick", "--json", "--no-fail",
                "startup", "build-small", "merge", "list"),
                Map.of("SYSEXTCTL_JAR", Jar.path().toString(), "TMPDIR", tmp.toString()), repo, 600);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode doc = Json.mapper().readTree(r.stdout());
        assertThat(doc.path("quick").asBoolean()).isTrue();
        assertThat(doc.path("versions").path("mksquashfs").asText()).startsWith("mksquashfs version");
        List<String> cases = new ArrayList<>();
        for (JsonNode row : doc.path("rows")) {
            assertThat(row.has("error")).as(row.toString()).isFalse();
            String id = row.path("workload").asText() + " " + row.path("case").asText();
            cases.add(id);
            if ("linear".equals(row.path("target_kind").asText())) {
                assertThat(row.path("steps").size()).as(id).isEqualTo(2);
                continue;
            }
            assertThat(row.path("sysextctl").path("median").asDouble()).as(id).isPositive();
            assertThat(row.path("reference_result").path("median").asDouble()).as(id).isPositive();
            assertThat(row.path("ratio").asDouble()).as(id).isCloseTo(row.path("sysextctl").path("median").asDouble()
                    / row.path("reference_result").path("median").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(cases).contains("startup sysextctl --version", "build-small 10-file tree", "merge 1 images",
                "merge 10 images", "merge 50 images", "merge growth with images (1, 10, 50)", "list 50 images");
        for (String command : List.of("--version", "--help", "status (50 merged)", "list (50 images)", "inspect",
                "validate")) {
            // issue 12's start-up rows: the jar on the default JDK, and the shipped runtime (the sysext's launcher
            // with its jlinked JDK 24+ runtime) with its 0.12 s target, each beside java -version of itself
            assertThat(find(doc, "startup", "sysextctl " + command).path("cpu_s").path("sysextctl").asDouble())
                    .isPositive();
            JsonNode shipped = find(doc, "startup", "shipped: sysextctl " + command);
            assertThat(shipped.path("target").asDouble()).isEqualTo(0.12);
            assertThat(shipped.path("target_kind").asText()).isEqualTo("max");
            assertThat(shipped.path("met").isBoolean()).isTrue();
            assertThat(shipped.path("runtime").asText()).contains("the sysext's launcher");
        }
        JsonNode merge50 = find(doc, "merge", "50 images");
        assertThat(merge50.path("target").asDouble()).isEqualTo(0.15);
        assertThat(merge50.path("met").isBoolean()).isTrue();
        assertThat(find(doc, "list", "50 images").path("target_kind").asText()).isEqualTo("max");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("sysextctl-bench."));
        }
    }

    private static JsonNode find(JsonNode doc, String workload, String kase) {
        for (JsonNode row : doc.path("rows")) {
            if (row.path("workload").asText().equals(workload) && row.path("case").asText().equals(kase)) {
                return row;
            }
        }
        throw new AssertionError("no row " + workload + " " + kase + " in " + doc);
    }
}
