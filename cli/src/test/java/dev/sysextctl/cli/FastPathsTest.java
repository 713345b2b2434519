package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runs Main answers without picocli print exactly what picocli prints; every other run, and help where picocli
 * would render it at another width or in color, is left to it.
 */
class FastPathsTest {
    @Test
    void versionIsAnsweredWithPicocliText() {
        for (String flag : List.of("--version", "-V")) {
            Cli.Run picocli = Cli.run(flag);
            assertThat(picocli.exit()).isZero();
            assertThat(FastPaths.answer(new String[] {flag})).as(flag).contains(picocli.out());
        }
    }

    @Test
    void everyOtherRunIsLeftToPicocli() {
        for (String[] args : List.of(new String[0], new String[] {"--version", "status"},
                new String[] {"status", "--version"}, new String[] {"-v"}, new String[] {"--versions"},
                new String[] {"--help", "status"}, new String[] {"compose", "--help"}, new String[] {"-v", "--help"},
                new String[] {"status", "--help", "--json"}, new String[] {"help"}, new String[] {"help", "status"})) {
            assertThat(FastPaths.answer(args, PLAIN)).as(String.join(" ", args)).isEmpty();
        }
    }

    /** Help as the bench and a pipe see it: stdout no terminal, nothing set. */
    static final FastPaths.HelpSetting PLAIN = new FastPaths.HelpSetting(null, null, null, null, false, "\n");

    @Test
    void theHelpOfTheTopAndHotCommandsIsAnsweredWithPicocliTextWhereItIsPlain() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"status", "--help"},
                new String[] {"list", "-h"}, new String[] {"inspect", "--help"}, new String[] {"validate", "--help"},
                new String[] {"build", "--help"})) {
            String command = args.length == 1 ? "" : args[0];
            assertThat(FastPaths.answer(args, PLAIN)).as(String.join(" ", args))
                    .contains(StartupHelpGenerator.render(command, args[args.length - 1], StartupHelp.WIDTH));
        }
    }

    @Test
    void helpIsLeftToPicocliWhereItWouldRenderOtherwise() {
        String[] help = {"--help"};
        assertThat(FastPaths.answer(help, new FastPaths.HelpSetting("80", null, null, null, false, "\n")))
                .as("COLUMNS=80 is the same width").isPresent();
        assertThat(FastPaths.answer(help, new FastPaths.HelpSetting("40", "0", null, null, false, "\n")))
                .as("COLUMNS too narrow for picocli is ignored, CLICOLOR_FORCE=0 forces nothing").isPresent();
        for (FastPaths.HelpSetting other : List.of(
                new FastPaths.HelpSetting(null, null, null, null, true, "\n"),
                new FastPaths.HelpSetting("100", null, null, null, false, "\n"),
                new FastPaths.HelpSetting(null, "1", null, null, false, "\n"),
                new FastPaths.HelpSetting(null, null, "true", null, false, "\n"),
                new FastPaths.HelpSetting(null, null, null, "80", false, "\n"),
                new FastPaths.HelpSetting(null, null, null, null, false, "\r\n"))) {
            assertThat(FastPaths.answer(help, other)).as(other.toString()).isEmpty();
            assertThat(FastPaths.answer(new String[] {"status", "-h"}, other)).as(other.toString()).isEmpty();
        }
    }
}
