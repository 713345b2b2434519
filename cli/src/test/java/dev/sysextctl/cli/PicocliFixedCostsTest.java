package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;

/**
 * What every command line leaves out of picocli's fixed work: the built-in converters of types no option takes,
 * the lookup of Groovy's closure class, and, where stdout is no terminal, asking {@code System.console()} for colors
 * and width. {@code PicocliFixedCostsIT} checks the classes a packaged run loads.
 */
class PicocliFixedCostsTest {
    @Test
    void noOptionOfAnyCommandTakesATypeWhoseConverterIsLeftOut() {
        List<String> types = new ArrayList<>();
        for (Map.Entry<String, CommandLine> c : HelpWidthTest.commands().entrySet()) {
            for (ArgSpec a : c.getValue().getCommandSpec().args()) {
                types.add(a.type().getName());
                for (Class<?> aux : a.auxiliaryTypes()) {
                    types.add(aux.getName());
                }
            }
        }
        assertThat(types).contains("java.nio.file.Path", "java.lang.String");
        assertThat(types).noneMatch(t -> t.matches(SysextctlCommand.UNUSED_CONVERTERS));
        assertThat("java.time.Duration").matches(SysextctlCommand.UNUSED_CONVERTERS);
        assertThat("java.sql.Timestamp").matches(SysextctlCommand.UNUSED_CONVERTERS);
        assertThat("java.nio.file.Path").doesNotMatch(SysextctlCommand.UNUSED_CONVERTERS);
    }

    @Test
    void aCommandLineTellsPicocliToSkipThem() {
        SysextctlCommand.newCommandLine(new String[] {"list"});
        assertThat(System.getProperty("picocli.converters.excludes")).isEqualTo(SysextctlCommand.UNUSED_CONVERTERS);
        assertThat(System.getProperty("picocli.disable.closures")).isEqualTo("true");
        assertThat(Cli.run("inspect", "--bogus", "x").err()).as("paths and options still parse").contains("--bogus");
    }

    @Test
    void whereStdoutIsNoTerminalHelpIsPlainAt80ColumnsWithoutAsking() {
        assumeTrue(FastPaths.plainOutput(FastPaths.HelpSetting.current()) && System.getenv("COLUMNS") == null,
                "stdout of this test JVM is a pipe, without COLUMNS or CLICOLOR_FORCE");
        CommandLine cl = SysextctlCommand.newCommandLine(new String[] {"compose", "--help"});
        assertThat(cl.getColorScheme().ansi()).isEqualTo(CommandLine.Help.Ansi.OFF);
        assertThat(cl.isUsageHelpAutoWidth()).isFalse();
        assertThat(cl.getUsageHelpWidth()).isEqualTo(StartupHelp.WIDTH);
        for (CommandLine sub : cl.getSubcommands().values()) {
            assertThat(sub.getColorScheme().ansi()).isEqualTo(CommandLine.Help.Ansi.OFF);
        }
    }
}
