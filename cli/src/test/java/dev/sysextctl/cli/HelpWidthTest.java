package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Help at 80 and 120 columns, for every command and subcommand: no line is wider than the terminal, and no word of
 * the help (as it reads unwrapped, at 1000 columns) is split across two lines.
 */
class HelpWidthTest {
    /** Every command of the full command line, the top one included, by its qualified name. */
    static Map<String, CommandLine> commands() {
        Map<String, CommandLine> all = new java.util.LinkedHashMap<>();
        collect("sysextctl", SysextctlCommand.newCommandLine(), all);
        return all;
    }

    private static void collect(String name, CommandLine cl, Map<String, CommandLine> into) {
        into.put(name, cl);
        cl.getSubcommands().forEach((n, sub) -> {
            if (sub.getCommandName().equals(n)) { // not again under an alias
                collect(name + " " + n, sub, into);
            }
        });
    }

    static String help(CommandLine cl, int width) {
        CommandLine root = cl;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        root.setUsageHelpAutoWidth(false);
        root.setUsageHelpWidth(width);
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out, true));
        return out.toString();
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.split("\\s+")));
    }

    @ParameterizedTest
    @ValueSource(ints = {80, 120})
    void everyCommandFitsWithoutSplittingAWord(int width) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
            Set<String> unwrapped = words(help(c.getValue(), 1000));
            String wrapped = help(c.getValue(), width);
            for (String line : wrapped.split("\n")) {
                if (line.length() > width) {
                    problems.add(c.getKey() + ": line of " + line.length() + " columns: " + line);
                }
            }
            for (String w : wrapped.split("\\s+")) {
                if (!w.isEmpty() && !unwrapped.contains(w)) {
                    problems.add(c.getKey() + ": '" + w + "' is part of a word broken across lines");
                }
            }
        }
        assertThat(problems).as("help at " + width + " columns").isEmpty();
    }

    @Test
    void theFileNameInBuildsHelpStaysWhole() {
        for (int width : new int[] {80, 120}) {
            assertThat(help(commands().get("sysextctl build"), width)).contains("hello-1.0-x86-64.raw");
        }
    }

    @Test
    void columnsSetsTheWidth() {
        assertThat(Terminal.columns(Map.of("COLUMNS", "132"))).hasValue(132);
        assertThat(Terminal.columns(Map.of("COLUMNS", "x"))).isEmpty();
        assertThat(Terminal.columns(Map.of())).isEmpty();
    }
}
