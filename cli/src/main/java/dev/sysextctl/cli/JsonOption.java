package dev.sysextctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --json[=pretty|short|off]}, as systemd's tools spell it: plain {@code --json} is pretty, {@code short} is
 * one line, {@code off} the human output. Mixed into every command that prints data; {@link Console#json} writes
 * the document in the chosen form.
 */
public final class JsonOption {
    /** How a JSON document is printed. */
    public enum Mode {
        PRETTY, SHORT, OFF
    }

    /** The modes as they are typed (lower case), for help and completion. */
    static final class Modes implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.List.of("pretty", "short", "off").iterator();
        }
    }

    /**
     * Takes the next argument only when it is a mode: {@code --json IMAGE} stays {@code --json} (pretty) followed
     * by the positional IMAGE, as before the modes existed.
     */
    static final class ModeConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(java.util.Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                CommandLine.Model.CommandSpec commandSpec) {
            Mode mode = Mode.PRETTY;
            if (!args.isEmpty()) {
                for (Mode m : Mode.values()) {
                    if (m.name().equalsIgnoreCase(args.peek())) {
                        mode = m;
                        args.pop();
                        break;
                    }
                }
            }
            argSpec.setValue(mode);
        }
    }

    @Option(names = "--json", paramLabel = "MODE", arity = "0..1", parameterConsumer = ModeConsumer.class,
            completionCandidates = Modes.class,
            description = "Print one JSON document on stdout: ${COMPLETION-CANDIDATES} (plain --json: pretty; "
                    + "short: one line).")
    Mode mode = Mode.OFF;

    /** Whether a JSON document replaces the human output. */
    public boolean on() {
        return mode != Mode.OFF;
    }

    /** {@code document} (pretty, as the library writes it) in the chosen form. */
    String render(String document) {
        return mode == Mode.SHORT ? compact(document) : document;
    }

    /** Drops the whitespace between tokens of a JSON document (strings stay as they are). */
    static String compact(String document) {
        StringBuilder b = new StringBuilder(document.length());
        boolean inString = false;
        for (int i = 0; i < document.length(); i++) {
            char c = document.charAt(i);
            if (inString) {
                b.append(c);
                if (c == '\\' && i + 1 < document.length()) {
                    b.append(document.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                b.append(c);
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
