package dev.sysextctl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man pages {@code sysextctl(1)} and {@code sysextctl-COMMAND(1)}, written as roff straight from the picocli
 * command model (the same model as {@code --help} and the completions). A small roff writer rather than
 * picocli-codegen's AsciiDoc plus asciidoctor: no Ruby or AsciiDoc toolchain in the build, and pages that
 * {@code man} renders as they are. The pages live in {@code docs/man/}; {@code ManPagesTest} regenerates them and
 * fails when they differ ({@code main} rewrites them).
 */
public final class ManPages {
    private ManPages() {
    }

    /** Rewrites the pages in {@code args[0]} (default {@code docs/man}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "docs/man");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> page : render().entrySet()) {
            Files.writeString(dir.resolve(page.getKey()), page.getValue());
        }
    }

    /** Every page: file name → roff text. */
    public static Map<String, String> render() {
        CommandLine full = SysextctlCommand.newCommandLine();
        full.setUsageHelpAutoWidth(false);
        full.setUsageHelpWidth(200);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("sysextctl.1", top(full));
        for (Map.Entry<String, CommandLine> e : full.getSubcommands().entrySet()) {
            if (e.getKey().equals(SysextctlCommand.HELP)) {
                continue;
            }
            pages.put("sysextctl-" + e.getKey() + ".1", page(e.getValue(), "sysextctl-" + e.getKey()));
        }
        return pages;
    }

    private static String top(CommandLine full) {
        CommandSpec spec = full.getCommandSpec();
        StringBuilder b = header("sysextctl", String.join(" ", spec.usageMessage().description()));
        b.append(".SH SYNOPSIS\n.B sysextctl\n[OPTIONS] [COMMAND] [ARGS...]\n");
        b.append(".SH DESCRIPTION\n").append(text(String.join(" ", spec.usageMessage().description())))
                .append("\nWithout a command, sysextctl shows the status, as systemd\\-sysext does.\n");
        b.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : full.getSubcommands().entrySet()) {
            b.append(".TP\n.B ").append(text(e.getKey())).append('\n')
                    .append(text(summary(e.getValue().getCommandSpec()))).append(" See\n.BR sysextctl\\-")
                    .append(text(e.getKey())).append(" (1).\n");
        }
        options(b, spec);
        footer(b, spec);
        seeAlso(b, null);
        return b.toString();
    }

    private static String page(CommandLine cl, String name) {
        CommandSpec spec = cl.getCommandSpec();
        StringBuilder b = header(name, summary(spec));
        b.append(".SH SYNOPSIS\n.nf\n").append(text(cl.getHelp().synopsis(0).strip())).append("\n.fi\n");
        b.append(".SH DESCRIPTION\n").append(text(String.join(" ", spec.usageMessage().description()))).append('\n');
        if (!cl.getSubcommands().isEmpty()) {
            b.append(".SH COMMANDS\n");
            for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
                b.append(".TP\n.B ").append(text(e.getKey())).append('\n')
                        .append(text(String.join(" ", e.getValue().getCommandSpec().usageMessage().description())))
                        .append('\n');
                parameters(b, e.getValue().getCommandSpec());
                options(b, e.getValue().getCommandSpec());
            }
        }
        parameters(b, spec);
        options(b, spec);
        footer(b, spec);
        seeAlso(b, name);
        return b.toString();
    }

    private static StringBuilder header(String name, String summary) {
        StringBuilder b = new StringBuilder();
        b.append(".\\\" Generated from sysextctl's command model by dev.sysextctl.cli.ManPages; do not edit.\n");
        b.append(".TH ").append(text(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" \"sysextctl\" "
                + "\"sysextctl manual\"\n");
        b.append(".SH NAME\n").append(text(name)).append(" \\- ").append(text(summary)).append('\n');
        return b;
    }

    private static void parameters(StringBuilder b, CommandSpec spec) {
        List<PositionalParamSpec> ps = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (ps.isEmpty()) {
            return;
        }
        b.append(".SH ARGUMENTS\n");
        for (PositionalParamSpec p : ps) {
            b.append(".TP\n.I ").append(text(p.paramLabel())).append('\n')
                    .append(text(String.join(" ", description(p.description(), p.completionCandidates()))))
                    .append('\n');
        }
    }

    private static void options(StringBuilder b, CommandSpec spec) {
        List<OptionSpec> os = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (os.isEmpty()) {
            return;
        }
        b.append(".SH OPTIONS\n");
        // Under the same headings as the help (OptionHeadings), in the order the help lists them.
        Comparator<OptionSpec> sort = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF))
                .createDefaultOptionSort();
        for (Map.Entry<String, List<OptionSpec>> group : OptionHeadings.grouped(spec, sort).entrySet()) {
            b.append(".SS ").append(text(group.getKey())).append('\n');
            options(b, group.getValue());
        }
    }

    private static void options(StringBuilder b, List<OptionSpec> os) {
        for (OptionSpec o : os) {
            b.append(".TP\n");
            List<String> names = new ArrayList<>();
            for (String n : o.names()) {
                names.add("\\fB" + text(n) + "\\fR");
            }
            b.append(String.join(", ", names));
            if (o.arity().max() > 0) {
                String label = "\\fI" + text(o.paramLabel()) + "\\fR";
                b.append(o.arity().min() == 0 ? "[=" + label + "]" : "=" + label);
            }
            b.append('\n').append(text(String.join(" ", description(o.description(), o.completionCandidates()))))
                    .append('\n');
        }
    }

    private static List<String> description(String[] lines, Iterable<String> candidates) {
        List<String> out = new ArrayList<>();
        String values = "";
        if (candidates != null) {
            List<String> c = new ArrayList<>();
            candidates.forEach(c::add);
            values = String.join(", ", c);
        }
        for (String l : lines) {
            out.add(l.replace("${COMPLETION-CANDIDATES}", values));
        }
        return out;
    }

    /** The footer (examples, exit codes) as preformatted text under headings taken from its lines. */
    private static void footer(StringBuilder b, CommandSpec spec) {
        String[] lines = spec.usageMessage().footer();
        if (lines.length == 0) {
            return;
        }
        b.append(".SH NOTES\n.nf\n");
        for (String l : lines) {
            b.append(text(l)).append('\n');
        }
        b.append(".fi\n");
    }

    private static void seeAlso(StringBuilder b, String self) {
        List<String> refs = new ArrayList<>();
        if (self != null) {
            refs.add(".BR sysextctl (1)");
        }
        refs.add(".BR systemd\\-sysext (8)");
        refs.add(".BR os\\-release (5)");
        b.append(".SH SEE ALSO\n").append(String.join(",\n", refs)).append('\n');
    }

    static String summary(CommandSpec spec) {
        String d = String.join(" ", spec.usageMessage().description()).strip();
        int dot = d.indexOf(". ");
        return dot < 0 ? d : d.substring(0, dot + 1);
    }

    /** Text safe in roff: backslashes and hyphens escaped, no line starting with a control character. */
    static String text(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        StringBuilder b = new StringBuilder();
        for (String line : t.split("\n", -1)) {
            if (b.length() > 0) {
                b.append('\n');
            }
            if (line.startsWith(".") || line.startsWith("'")) {
                b.append("\\&");
            }
            b.append(line);
        }
        return b.toString();
    }
}
