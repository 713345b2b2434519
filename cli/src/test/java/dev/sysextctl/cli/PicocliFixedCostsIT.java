package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classes the packaged jar loads ({@code -Xlog:class+load}, no class-data archive) for picocli's work shared by
 * every command: no {@code java.sql} or {@code java.time} converter type is looked up, and help on a pipe does not
 * ask {@link java.io.Console} about the terminal. Each check is run once more with the JVM told picocli's own defaults
 * ({@code -Dpicocli.converters.excludes=}, {@code -Dpicocli.ansi=auto}), which must load them: the check can see it.
 */
class PicocliFixedCostsIT {
    /** Runs through picocli: {@link DirectRuns} takes the plain forms of these commands without it. */
    private static final String PICOCLI = "-D" + DirectRuns.PROPERTY + "=false";

    @TempDir
    Path tmp;
    Path root;
    Path image;

    /** A root with an os-release and no image, and a directory image beside it. */
    @BeforeEach
    void trees() throws Exception {
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        image = tmp.resolve("image");
        Files.createDirectories(image.resolve("usr/lib/extension-release.d"));
        Files.writeString(image.resolve("usr/lib/extension-release.d/extension-release.image"), "ID=_any\n");
    }

    @Test
    void listAndInspectLookUpNoConverterTypeTheyDoNotTake() throws Exception {
        for (List<String> args : List.of(List.of("list", "--root", root.toString()), List.of("inspect", image.toString()))) {
            assertThat(loaded(args, PICOCLI)).as(args.toString())
                    .noneMatch(c -> c.startsWith("java.sql.") || c.equals("java.time.MonthDay"));
            assertThat(loaded(args, PICOCLI, "-Dpicocli.converters.excludes=")).as("picocli's default")
                    .contains("java.sql.Time");
        }
    }

    /**
     * A plain {@code list}, {@code status}, {@code inspect} or {@code validate} ({@link DirectRuns}) loads no class of
     * picocli at all.
     */
    @Test
    void picocliIsNotLoadedByAPlainListStatusInspectOrValidate() throws Exception {
        for (List<String> args : List.of(List.of("list", "--root", root.toString(), "--no-legend"),
                List.of("status", "--root=" + root, "--json=short"), List.of("inspect", "--files", root.toString()),
                List.of("validate", "--root", root.toString(), "--os=debian", image.toString()))) {
            assertThat(loaded(args)).as(args.toString()).noneMatch(c -> c.startsWith("picocli."));
            assertThat(loaded(args, PICOCLI)).as(args + " through picocli")
                    .anyMatch(c -> c.startsWith("picocli."));
        }
    }

    @Test
    void helpOfAnotherCommandOnAPipeAsksNoConsole() throws Exception {
        List<String> args = List.of("compose", "--help");
        assertThat(loaded(args)).doesNotContain("java.io.Console");
        assertThat(loaded(args, "-Dpicocli.ansi=auto")).as("picocli's default").contains("java.io.Console");
    }

    /** The classes {@code java OPTIONS -jar sysextctl.jar ARGS} loads, on pipes, without COLUMNS or CLICOLOR_FORCE. */
    private List<String> loaded(List<String> args, String... options) throws Exception {
        Path log = tmp.resolve("classes.log");
        Files.deleteIfExists(log);
        List<String> argv = new ArrayList<>(List.of("env", "-u", "COLUMNS", "-u", "CLICOLOR_FORCE", "java", "-Xshare:off",
                "-Xlog:class+load=info:file=" + log));
        argv.addAll(List.of(options));
        argv.addAll(List.of("-jar", Jar.path().toString()));
        argv.addAll(args);
        Shell.run(argv, Map.of(), tmp, 120).assertSuccess();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("[class,load] ");
            if (at >= 0) {
                String rest = line.substring(at + "[class,load] ".length());
                classes.add(rest.substring(0, rest.indexOf(' ')));
            }
        }
        assertThat(classes).as("classes loaded").isNotEmpty();
        return classes;
    }
}
