package dev.sysextctl.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command prints: human output to stdout, diagnostics to stderr, colors only on a terminal without
 * {@code NO_COLOR} or {@code --no-color}. With {@code --json} stdout carries the JSON document alone.
 */
public final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final int verbosity;
    private final boolean color;

    public Console(CommandSpec spec, OutputOptions options) {
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
        this.verbosity = options == null ? 0 : options.verbosity();
        this.color = (options == null || !options.noColor) && System.getenv("NO_COLOR") == null
                && System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean verbose() {
        return verbosity > 0;
    }

    public boolean quiet() {
        return verbosity < 0;
    }

    /** A line of human output (suppressed by {@code -q}). */
    public void println(String line) {
        if (!quiet()) {
            out.println(line);
        }
    }

    /** A diagnostic on stderr (suppressed by {@code -q}). */
    public void info(String line) {
        if (!quiet()) {
            err.println(line);
        }
    }

    /** A diagnostic on stderr shown with {@code -v}. */
    public void debug(String line) {
        if (verbose()) {
            err.println(line);
        }
    }

    public void warn(String line) {
        err.println(paint("33", "warning: ") + line);
    }

    /** Prints one JSON document on stdout, followed by a newline. */
    public void json(String document) {
        out.println(document);
        out.flush();
    }

    public String bold(String s) {
        return paint("1", s);
    }

    public String red(String s) {
        return paint("31", s);
    }

    public String green(String s) {
        return paint("32", s);
    }

    public String yellow(String s) {
        return paint("33", s);
    }

    public String grey(String s) {
        return paint("90", s);
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    public void flush() {
        out.flush();
        err.flush();
    }
}
