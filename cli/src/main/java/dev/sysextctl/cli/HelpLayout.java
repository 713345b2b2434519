package dev.sysextctl.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help laid out at the terminal's width without breaking a word: picocli wraps at any line-break opportunity of
 * the text (after a '.', '/' or '-', so "hello-1.0-x86-64.raw" became "hello-1." and "0-x86-64.raw"), and splits
 * the synopsis inside an option ("[--version" and "[=V]]"). Each help section is rendered unwrapped and wrapped
 * again here at spaces only: a synopsis continues under its first option, a row of an option, parameter or command
 * list under its description (indented by two, as picocli does), an indented example line four columns further in,
 * other text at its own indentation. A word longer than the line stays whole.
 */
final class HelpLayout {
    /** The width sections are rendered at before they are wrapped here: wide enough that picocli never wraps. */
    static final int UNWRAPPED = 1000;

    private enum Kind {
        SYNOPSIS, LIST, TEXT
    }

    private HelpLayout() {
    }

    /** Wraps every section renderer of {@code cl} and of its subcommands (call after adding them). */
    static void install(CommandLine cl) {
        // This command's own map (setHelpSectionMap would give every subcommand the same renderers).
        Map<String, IHelpSectionRenderer> sections = cl.getCommandSpec().usageMessage().sectionMap();
        for (Map.Entry<String, IHelpSectionRenderer> e : sections.entrySet()) {
            if (!(e.getValue() instanceof Wrapped)) {
                // Options are listed under headings (OptionHeadings), the same ones as in the man pages.
                IHelpSectionRenderer renderer = e.getKey().equals(UsageMessageSpec.SECTION_KEY_OPTION_LIST)
                        ? OptionHeadings::render : e.getValue();
                e.setValue(new Wrapped(kind(e.getKey()), renderer));
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            install(sub);
        }
    }

    private static Kind kind(String key) {
        switch (key) {
            case UsageMessageSpec.SECTION_KEY_SYNOPSIS:
                return Kind.SYNOPSIS;
            case UsageMessageSpec.SECTION_KEY_OPTION_LIST:
            case UsageMessageSpec.SECTION_KEY_PARAMETER_LIST:
            case UsageMessageSpec.SECTION_KEY_COMMAND_LIST:
            case UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST:
                return Kind.LIST;
            default:
                return Kind.TEXT;
        }
    }

    /** A section renderer that renders unwrapped, then wraps at spaces. */
    private record Wrapped(Kind kind, IHelpSectionRenderer renderer) implements IHelpSectionRenderer {
        @Override
        public String render(CommandLine.Help help) {
            UsageMessageSpec usage = help.commandSpec().usageMessage();
            int width = usage.width();
            boolean auto = usage.autoWidth();
            String text;
            usage.autoWidth(false);
            usage.width(UNWRAPPED);
            try {
                text = renderer.render(help);
            } finally {
                usage.width(width);
                usage.autoWidth(auto);
            }
            if (kind != Kind.SYNOPSIS) {
                return wrap(text, width, kind, 0);
            }
            // The heading ("Usage: ") is printed before the synopsis, on its first line.
            String heading = plain(help.synopsisHeading());
            int headingLength = heading.length() - heading.lastIndexOf('\n') - 1;
            String padded = "\u0000".repeat(headingLength) + text;
            return wrap(padded, width, kind, synopsisIndent(padded, help.commandSpec().qualifiedName()))
                    .substring(headingLength);
        }
    }

    /** Where a synopsis continues: under what follows {@code Usage: QUALIFIED-NAME }. */
    private static int synopsisIndent(String text, String qualifiedName) {
        String plain = plain(text);
        int at = plain.indexOf(qualifiedName + " ");
        return at < 0 ? 8 : at + qualifiedName.length() + 1;
    }

    static String wrap(String text, int width, Kind kind, int synopsisIndent) {
        StringBuilder b = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                b.append('\n');
            }
            String line = lines[i];
            int indent = switch (kind) {
                case SYNOPSIS -> synopsisIndent;
                case LIST -> descriptionColumn(plain(line)) + 2;
                case TEXT -> {
                    int lead = leading(plain(line));
                    yield lead == 0 ? 0 : lead + 4;
                }
            };
            wrapLine(b, line, width, Math.min(indent, width / 2));
        }
        return b.toString();
    }

    /**
     * The column where a list row's description starts: after the first run of two or more spaces that follows
     * the row's first word (its option, parameter or command), else at the row's indentation.
     */
    private static int descriptionColumn(String line) {
        int lead = leading(line);
        int gap = line.indexOf("  ", lead);
        if (gap < 0) {
            return lead;
        }
        int desc = gap;
        while (desc < line.length() && line.charAt(desc) == ' ') {
            desc++;
        }
        return desc < line.length() ? desc : lead;
    }

    private static int leading(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** Appends {@code line} wrapped at spaces to {@code width} visible columns, continuing at {@code indent}. */
    private static void wrapLine(StringBuilder b, String line, int width, int indent) {
        String rest = line;
        int minBreak = leading(plain(line)) + 1;
        while (visible(rest) > width) {
            int cut = lastSpaceWithin(rest, width, minBreak);
            if (cut < 0) {
                cut = firstSpaceAfter(rest, width);
                if (cut < 0) {
                    break; // one word longer than the line: kept whole
                }
            }
            b.append(stripTrailing(rest.substring(0, cut))).append('\n');
            rest = " ".repeat(indent) + rest.substring(cut).stripLeading();
            minBreak = indent + 1;
        }
        b.append(rest);
    }

    /** The index of the last space whose visible column is at most {@code width} and at least {@code min}. */
    private static int lastSpaceWithin(String s, int width, int min) {
        int col = 0;
        int found = -1;
        for (int i = 0; i < s.length() && col <= width; i++) {
            int skip = escapeLength(s, i);
            if (skip > 0) {
                i += skip - 1;
                continue;
            }
            if (s.charAt(i) == ' ' && col >= min) {
                found = i;
            }
            col++;
        }
        return found;
    }

    private static int firstSpaceAfter(String s, int width) {
        int col = 0;
        for (int i = 0; i < s.length(); i++) {
            int skip = escapeLength(s, i);
            if (skip > 0) {
                i += skip - 1;
                continue;
            }
            if (s.charAt(i) == ' ' && col > width && !s.substring(i).isBlank()) {
                return i;
            }
            col++;
        }
        return -1;
    }

    /**
     * {@code s.replaceAll(" +$", "")}; by hand for a line without line terminators (the help's lines: a regular
     * expression compiled per line was a good part of {@code --help}).
     */
    static String stripTrailing(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return s.replaceAll(" +$", "");
            }
        }
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    /** The length of an ANSI escape sequence ({@code ESC [ ... m}) starting at {@code i}, else 0. */
    private static int escapeLength(String s, int i) {
        if (s.charAt(i) != '\u001b' || i + 1 >= s.length() || s.charAt(i + 1) != '[') {
            return 0;
        }
        int j = i + 2;
        while (j < s.length() && s.charAt(j) != 'm') {
            j++;
        }
        return j - i + 1;
    }

    /** {@code s} without its ANSI color sequences ({@code ESC [ digits-and-semicolons m}), no regular expression. */
    static String plain(String s) {
        int esc = s.indexOf('\u001b');
        if (esc < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (esc >= 0) {
            int j = esc + 1;
            if (j < s.length() && s.charAt(j) == '[') {
                j++;
                while (j < s.length() && (s.charAt(j) >= '0' && s.charAt(j) <= '9' || s.charAt(j) == ';')) {
                    j++;
                }
                if (j < s.length() && s.charAt(j) == 'm') {
                    b.append(s, i, esc);
                    i = j + 1;
                }
            }
            esc = s.indexOf('\u001b', Math.max(esc + 1, i));
        }
        return b.append(s, i, s.length()).toString();
    }

    private static int visible(String s) {
        return plain(s).length();
    }
}
