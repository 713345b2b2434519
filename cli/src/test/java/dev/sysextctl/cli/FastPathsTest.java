package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runs Main answers without picocli print exactly what picocli prints; every other run is left to it. */
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
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"--version", "status"},
                new String[] {"status", "--version"}, new String[] {"-v"}, new String[] {"--versions"})) {
            assertThat(FastPaths.answer(args)).as(String.join(" ", args)).isEmpty();
        }
    }
}
