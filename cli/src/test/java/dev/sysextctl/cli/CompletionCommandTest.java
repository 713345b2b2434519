package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fish script is written from the command model: every command and its options, enum values offered. */
class CompletionCommandTest {
    @Test
    void fishListsEveryCommandAndTheOptionsOfEach() {
        Cli.Run r = Cli.run("completion", "fish");
        assertThat(r.exit()).as(r.toString()).isZero();
        for (Subcommands.Entry e : Subcommands.entries()) {
            assertThat(r.out()).contains("-n '__fish_use_subcommand' -a " + e.name() + " -d '");
        }
        assertThat(r.out()).contains("-n '__fish_seen_subcommand_from build' -l format")
                .contains("-n '__fish_seen_subcommand_from build' -l force")
                .contains("-n '__fish_seen_subcommand_from list' -l json -x -a 'pretty short off'");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        Cli.Run r = Cli.run("completion", "tcsh");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("tcsh");
    }
}
