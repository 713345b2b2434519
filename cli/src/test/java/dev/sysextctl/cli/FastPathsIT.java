package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar's help on a pipe, as scripts and the bench see it: the text kept in {@code StartupHelp} is printed
 * without loading picocli, and is byte for byte what picocli prints for the same run when made to render it
 * ({@code -Dpicocli.ansi=false}, no colors as on any pipe, leaves the run to picocli).
 */
class FastPathsIT {
    @TempDir
    Path tmp;

    @Test
    void helpOnAPipeIsPicocliTextWithoutPicocli() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("-h"), List.of("status", "--help"),
                List.of("list", "--help"), List.of("inspect", "-h"), List.of("validate", "--help"),
                List.of("build", "--help"))) {
            Path log = tmp.resolve("classes.log");
            Shell.Result fast = java(args, "-Xshare:off", "-Xlog:class+load=info:file=" + log).assertSuccess();
            Shell.Result picocli = java(args, "-Dpicocli.ansi=false").assertSuccess();
            assertThat(fast.stdout()).as(args.toString()).isEqualTo(picocli.stdout()).contains("Usage: sysextctl");
            assertThat(fast.stderr()).isEmpty();
            List<String> loaded = Files.readAllLines(log).stream().filter(l -> l.contains("[class,load]")).toList();
            assertThat(loaded).as("classes loaded").isNotEmpty();
            assertThat(loaded.stream().filter(l -> l.contains(" picocli.") || l.contains("Command ")).toList())
                    .as(args + ": picocli and command classes loaded").isEmpty();
        }
    }

    @Test
    void helpAtAnotherWidthIsLeftToPicocli() {
        Shell.Result wide = Shell.run(List.of("env", "COLUMNS=120", "java", "-jar", Jar.path().toString(), "--help"),
                Map.of(), tmp, 120).assertSuccess();
        assertThat(wide.stdout()).isNotEqualTo(StartupHelp.of(""));
        assertThat(wide.stdout().lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(StartupHelp.WIDTH);
    }

    /** {@code java OPTIONS -jar sysextctl.jar ARGS} on pipes, without COLUMNS or CLICOLOR_FORCE from this environment. */
    private Shell.Result java(List<String> args, String... options) {
        List<String> argv = new ArrayList<>(List.of("env", "-u", "COLUMNS", "-u", "CLICOLOR_FORCE", "java"));
        argv.addAll(List.of(options));
        argv.addAll(List.of("-jar", Jar.path().toString()));
        argv.addAll(args);
        return Shell.run(argv, Map.of(), tmp, 120);
    }
}
