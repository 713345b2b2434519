package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Help at a terminal's width: lines fit, words and file names are not broken, commands are grouped by task. */
class HelpLayoutTest {
    static String help(int width, String... command) {
        CommandLine cl = SysextctlCommand.newCommandLine();
        cl.setUsageHelpAutoWidth(false);
        cl.setUsageHelpWidth(width);
        CommandLine target = cl;
        for (String c : command) {
            target = target.getSubcommands().get(c);
        }
        StringWriter out = new StringWriter();
        target.usage(new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void at80Columns() {
        fitsWithoutBreakingWords(80);
    }

    @Test
    void at140Columns() {
        fitsWithoutBreakingWords(140);
    }

    static void fitsWithoutBreakingWords(int width) {
        List<String> commands = Subcommands.entries().stream().map(Subcommands.Entry::name).toList();
        for (String c : commands) {
            String h = help(width, c);
            assertThat(h.lines()).as(c + " at " + width).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(width));
            if (!c.equals("help")) {
                assertThat(h).as(c).contains("Exit codes:").contains("Example");
            }
        }
        String build = help(width, "build");
        assertThat(build).contains("hello-1.0-x86-64.raw", "--image-version", "--target-os-release");
    }

    @Test
    void noHelpTextPrintsAFormatSpecifierAsItIs() {
        List<String> commands = Subcommands.entries().stream().map(Subcommands.Entry::name).toList();
        assertThat(help(80)).doesNotContain("%n").contains("  help        Show the usage help of sysextctl");
        for (String c : commands) {
            assertThat(help(80, c)).as(c).doesNotContain("%n");
        }
    }

    @Test
    void aWideTerminalGetsLongerLines() {
        assertThat(help(140, "enable").lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(80);
    }

    @Test
    void theTopLevelListsCommandsByTask() {
        String h = help(100);
        assertThat(h).containsSubsequence("Build and check:", "  build ", "  validate ", "Manage a node:",
                "  status ", "  refresh ", "Migrate from torcx:", "  convert ", "Provision:", "  ignition ",
                "  release ", "Help:", "  help ", "  completion ");
    }
}
