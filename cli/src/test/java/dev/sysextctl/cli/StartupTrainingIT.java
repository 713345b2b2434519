package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run of the class-data archive made at package time ({@link StartupTraining}, the launchers' fallback
 * when no per-command archive can be made: docs/cli.md §11) goes through every frequent command, merge, refresh and
 * unmerge included: their native engine is among the classes it loads.
 */
@Requires(tools = {"java"})
class StartupTrainingIT {
    @TempDir
    Path tmp;

    @Test
    void theTrainingLoadsTheNativeEngineOfMergeRefreshAndUnmerge() throws Exception {
        Path list = tmp.resolve("sysextctl.classlist");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Shell.Result r = Shell.run(List.of(java, "-XX:DumpLoadedClassList=" + list, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", Jar.path().toString(),
                "dev.sysextctl.cli.StartupTraining"), Map.of(), tmp, 600);
        assertThat(r.exitCode()).as(r.all()).isZero();
        List<String> classes = Files.readAllLines(list).stream().map(l -> l.split(" ", 2)[0]).toList();
        assertThat(classes).contains("dev/sysextctl/cli/MergeCommand", "dev/sysextctl/cli/RefreshCommand",
                "dev/sysextctl/cli/UnmergeCommand", "dev/sysextctl/merger/engine/NativeEngine",
                "dev/sysextctl/merger/mount/NamespaceSession", "dev/sysextctl/merger/discovery/ImageDiscovery");
        // the runs DirectRuns takes are trained that way too, not only through picocli
        assertThat(classes).contains("dev/sysextctl/cli/DirectRuns", "dev/sysextctl/cli/DirectRuns$NodeForm",
                "dev/sysextctl/cli/DirectRuns$InspectForm", "dev/sysextctl/cli/DirectRuns$ValidateForm");
    }
}
