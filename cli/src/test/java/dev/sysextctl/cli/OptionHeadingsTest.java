package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's help lists its options under headings (docs/cli.md §1): each visible option is on exactly one
 * row, under the heading the table gives it, and no option falls through to the catch-all "Options" heading. The
 * man pages carry the same headings.
 */
class OptionHeadingsTest {
    private static final String HEADING = "^[A-Z][A-Za-z ()]*:$";

    @Test
    void everyOptionOfEveryCommandIsOnceUnderItsHeading() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CommandLine> c : HelpWidthTest.commands().entrySet()) {
            CommandLine cl = c.getValue();
            String[] lines = HelpWidthTest.help(cl, 1000).split("\n");
            for (OptionSpec o : cl.getCommandSpec().options()) {
                if (o.hidden()) {
                    continue;
                }
                List<String> headings = new ArrayList<>();
                String heading = null;
                for (String line : lines) {
                    if (line.matches(HEADING)) {
                        heading = line.substring(0, line.length() - 1);
                    } else if (line.startsWith(" ") && names(line).equals(new HashSet<>(Arrays.asList(o.names())))) {
                        headings.add(heading);
                    }
                }
                if (headings.size() != 1 || headings.get(0) == null
                        || headings.get(0).equals(OptionHeadings.OTHER)) {
                    problems.add(c.getKey() + " " + o.longestName() + " listed under " + headings);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void noOptionFallsThroughTheTable() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CommandLine> c : HelpWidthTest.commands().entrySet()) {
            Map<String, List<OptionSpec>> groups = OptionHeadings.grouped(c.getValue().getCommandSpec(), null);
            if (groups.containsKey(OptionHeadings.OTHER)) {
                problems.add(c.getKey() + ": " + groups.get(OptionHeadings.OTHER).stream()
                        .map(OptionSpec::longestName).toList());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void buildGroupsItsOptionsAsDocumented() {
        Map<String, List<OptionSpec>> groups = OptionHeadings.grouped(
                HelpWidthTest.commands().get("sysextctl build").getCommandSpec(), null);
        assertThat(groups.keySet()).containsExactly("Image", "Format", "Signing (DDI)", "Container images",
                "Output");
        assertThat(longest(groups.get("Signing (DDI)"))).containsExactly("--sign-key", "--certificate", "--seed");
        assertThat(longest(groups.get("Container images"))).containsExactlyInAnyOrder("--base", "--layers",
                "--include");
        assertThat(longest(groups.get("Output"))).contains("--output", "--force", "--strict", "--report", "--json",
                "--quiet", "--verbose", "--no-color", "--help", "-V");
    }

    @Test
    void nodeCommandsHaveNodeAndOutputHeadings() {
        for (String name : List.of("list", "status", "enable", "disable", "mask", "unmask", "merge", "unmerge",
                "refresh", "explain")) {
            Map<String, List<OptionSpec>> groups = OptionHeadings.grouped(
                    HelpWidthTest.commands().get("sysextctl " + name).getCommandSpec(), null);
            assertThat(groups.keySet()).as(name).containsExactly("Node", "Output");
            assertThat(longest(groups.get("Node"))).as(name).contains("--root");
        }
    }

    @Test
    void manPagesShowTheSameHeadings() throws Exception {
        Path man = ManPagesTest.DIR.resolve("sysextctl-build.1");
        List<String> sections = Files.readAllLines(man).stream().filter(l -> l.startsWith(".SS ")).toList();
        assertThat(sections).containsExactly(".SS Image", ".SS Format", ".SS Signing (DDI)", ".SS Container images",
                ".SS Output");
    }

    /** The option names a help row starts with ("-v, --verbose  Say more" gives -v and --verbose). */
    private static Set<String> names(String row) {
        String key = row.strip().split(" {2,}|=|\\[")[0];
        return new HashSet<>(Arrays.asList(key.split(", ")));
    }

    private static List<String> longest(List<OptionSpec> options) {
        return options.stream().map(OptionSpec::longestName).toList();
    }
}
