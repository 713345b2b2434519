package dev.sysextctl.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The heading each option of a command is listed under, in its help and in its man page ("Image", "Format", ...,
 * "Output"), as systemd's own --help groups its options. One table for every command, so that the option classes
 * and mixins stay plain {@code @Option}s: each family of commands lists its headings in order and the options under
 * each (by their longest name); the options every command shares (help, version, -q, -v, --json, colors, tables)
 * are under "Output" everywhere. An option the table misses is listed under "Options" at the end
 * ({@code OptionHeadingsTest} fails on it).
 */
final class OptionHeadings {
    /** The heading of an option the table misses. */
    static final String OTHER = "Options";
    static final String OUTPUT = "Output";

    private static final Set<String> COMMON_OUTPUT = Set.of("--verbose", "--quiet", "--no-color", "--json",
            "--no-legend", "--no-pager");

    /** A family of commands (by name after "sysextctl") and its headings, in order, with their options. */
    private record Family(Set<String> commands, Map<String, List<String>> headings) {
    }

    private static final List<Family> FAMILIES = List.of(
            new Family(Set.of("build", "compose", "convert torcx-image", "convert torcx-profile"), headings(
                    "Image", List.of("--name", "--class", "--image-version", "--version", "--os", "--os-version",
                            "--sysext-level", "--arch", "--scope", "--set", "--target-os-release", "--os-release",
                            "--reload-manager", "--keep-sbin"),
                    "Format", List.of("--format", "--compression", "--fs", "--source-date-epoch",
                            "--keep-ownership"),
                    "Signing (DDI)", List.of("--sign-key", "--certificate", "--seed"),
                    "Container images", List.of("--base", "--layers", "--include"),
                    "Torcx profile", List.of("--root", "--profile", "--store", "--enable"),
                    OUTPUT, List.of("--output", "--force", "--strict", "--report"))),
            new Family(Set.of("inspect", "validate"), headings(
                    "Target", List.of("--root", "--os-release", "--os", "--os-version", "--sysext-level",
                            "--confext-level", "--arch", "--scope", "--systemd-version"),
                    "Checks", List.of("--class", "--as", "--image-policy", "--trusted-certs"),
                    OUTPUT, List.of("--files"))),
            new Family(Set.of("list", "status", "enable", "disable", "mask", "unmask", "merge", "unmerge", "refresh",
                    "explain"), headings(
                    "Node", List.of("--root", "--class", "--engine", "--systemd-version", "--name", "--runtime",
                            "--now", "--no-reload", "--no-stop", "--force", "--dry-run", "--image-policy"))),
            new Family(Set.of("ignition", "release"), headings(
                    "Provisioning", List.of("--base-url", "--class", "--with-sysextctl", "--ignition-version", "--butane",
                            "--sysupdate", "--mask", "--systemd-version", "--instances-max"),
                    OUTPUT, List.of("--output"))));

    private OptionHeadings() {
    }

    private static Map<String, List<String>> headings(Object... pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> options = (List<String>) pairs[i + 1];
            m.put((String) pairs[i], options);
        }
        return m;
    }

    /**
     * The visible options of {@code spec} under their headings, headings in order (an empty heading is left out),
     * options in the order the command's help sorts them.
     */
    static Map<String, List<OptionSpec>> grouped(CommandSpec spec, Comparator<OptionSpec> sort) {
        Map<String, List<String>> table = table(spec);
        Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
        for (String heading : table.keySet()) {
            groups.put(heading, new ArrayList<>());
        }
        groups.putIfAbsent(OUTPUT, new ArrayList<>());
        groups.put(OTHER, new ArrayList<>());
        List<OptionSpec> visible = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
        if (sort != null) {
            visible.sort(sort);
        }
        for (OptionSpec o : visible) {
            groups.get(heading(table, o)).add(o);
        }
        groups.values().removeIf(List::isEmpty);
        return groups;
    }

    private static String heading(Map<String, List<String>> table, OptionSpec o) {
        if (o.usageHelp() || o.versionHelp() || COMMON_OUTPUT.contains(o.longestName())) {
            return OUTPUT;
        }
        for (Map.Entry<String, List<String>> e : table.entrySet()) {
            for (String name : o.names()) {
                if (e.getValue().contains(name)) {
                    return e.getKey();
                }
            }
        }
        return OTHER;
    }

    private static Map<String, List<String>> table(CommandSpec spec) {
        String name = spec.qualifiedName(" ");
        int space = name.indexOf(' ');
        String command = space < 0 ? "" : name.substring(space + 1);
        for (Family f : FAMILIES) {
            if (f.commands().contains(command)) {
                return f.headings();
            }
        }
        return Map.of();
    }

    /**
     * The option list section of a command's help: each heading followed by its options, after a blank line, with
     * one column layout for all of them so that the descriptions line up across headings; a blank line after them
     * when the command list follows.
     */
    static String render(CommandLine.Help help) {
        Comparator<OptionSpec> sort = help.createDefaultOptionSort();
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<OptionSpec>> g : grouped(help.commandSpec(), sort).entrySet()) {
            b.append('\n').append(g.getKey()).append(":\n").append(help.optionListExcludingGroups(g.getValue(),
                    help.createDefaultLayout(), sort, help.parameterLabelRenderer()));
        }
        if (b.length() > 0 && !help.commandSpec().subcommands().isEmpty()) {
            b.append('\n'); // a blank line before "Commands:", as between the headings
        }
        return b.toString();
    }
}
