package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The lazy registration of subcommands: names right, only the one run registered, help unchanged. */
class SubcommandsTest {
    @Test
    void everyEntryIsNamedAsItsCommand() {
        Set<String> names = new HashSet<>();
        for (Subcommands.Entry e : Subcommands.entries()) {
            assertThat(new CommandLine(e.factory().get()).getCommandName()).isEqualTo(e.name());
            assertThat(names.add(e.name())).as("unique: " + e.name()).isTrue();
        }
    }

    @Test
    void aRunRegistersOnlyTheCommandItNames() {
        assertThat(SysextctlCommand.newCommandLine(new String[] {"status", "--json"}).getSubcommands().keySet())
                .containsExactly("status");
        assertThat(SysextctlCommand.newCommandLine(new String[] {"--version"}).getSubcommands()).isEmpty();
        List<String> all = Subcommands.entries().stream().map(Subcommands.Entry::name).toList();
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"bogus"},
                new String[] {"-v", "build"})) {
            assertThat(SysextctlCommand.newCommandLine(args).getSubcommands().keySet()).containsExactlyElementsOf(all);
        }
    }

    @Test
    void helpAndErrorsAreThoseOfTheFullCommandLine() {
        Cli.Run help = Cli.run("--help");
        assertThat(help.exit()).isZero();
        for (Subcommands.Entry e : Subcommands.entries()) {
            assertThat(help.out()).contains("  " + e.name() + " ");
        }
        Cli.Run unknown = Cli.run("statuss");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("statuss");
        Cli.Run version = Cli.run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("sysextctl ");
    }
}
