package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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
            Object made = e.factory().get();
            CommandLine cl = made instanceof CommandLine c ? c : new CommandLine(made);
            assertThat(cl.getCommandName()).isEqualTo(e.name());
            assertThat(names.add(e.name())).as("unique: " + e.name()).isTrue();
        }
    }

    @Test
    void aRunRegistersOnlyTheCommandItNames() {
        assertThat(SysextctlCommand.newCommandLine(new String[] {"status", "--json"}).getSubcommands().keySet())
                .containsExactly("status");
        assertThat(SysextctlCommand.newCommandLine(new String[] {"--version"}).getSubcommands()).isEmpty();
        assertThat(SysextctlCommand.newCommandLine(new String[0]).getSubcommands().keySet())
                .as("no arguments: the status").containsExactly("status");
        List<String> all = Subcommands.entries().stream().map(Subcommands.Entry::name).toList();
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"bogus"},
                new String[] {"-v", "build"}, new String[] {"help"})) {
            assertThat(SysextctlCommand.newCommandLine(args).getSubcommands().keySet()).containsExactlyElementsOf(all);
        }
    }

    @Test
    void topHelpIsMadeFromSummariesAndIsTheFullUsage() {
        for (String flag : List.of("--help", "-h")) {
            CommandLine light = SysextctlCommand.newCommandLine(new String[] {flag});
            for (CommandLine sub : light.getSubcommands().values()) {
                assertThat(sub.getCommandSpec().options()).as(flag + ": " + sub.getCommandName() + " has no model")
                        .isEmpty();
            }
            CommandLine full = SysextctlCommand.newCommandLine();
            StringWriter expected = new StringWriter();
            full.setOut(new PrintWriter(expected, true));
            assertThat(full.execute(flag)).isZero();
            Cli.Run run = Cli.run(flag);
            assertThat(run.exit()).isZero();
            assertThat(run.out()).as(flag).isEqualTo(expected.toString());
        }
    }

    @Test
    void noArgumentsRunTheStatus() {
        Cli.Run none = Cli.run();
        Cli.Run status = Cli.run("status");
        assertThat(none.exit()).isEqualTo(status.exit());
        assertThat(none.out()).isEqualTo(status.out());
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
