package dev.sysextctl.cli;

import dev.sysextctl.core.progress.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command prints: human output to stdout, diagnostics to stderr, colors only on a terminal without
 * {@code NO_COLOR} or {@code --no-color}. With {@code --json} stdout carries the JSON document alone. Whether stdout
 * may be a terminal is asked of {@code /proc/self/fd/1} first: {@link System#console()} looks for a console provider
 * (a service lookup through every module) on every call, and answers none when stdout is not a terminal anyway.
 */
public final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final int verbosity;
    private final boolean color;
    private final JsonOption json;

    public Console(CommandSpec spec, OutputOptions options) {
        this(spec.commandLine().getOut(), spec.commandLine().getErr(), options, jsonOf(spec));
    }

    /** The console of a run parsed without picocli ({@link DirectRuns}): its writers, options and --json. */
    Console(PrintWriter out, PrintWriter err, OutputOptions options, JsonOption json) {
        this.out = out;
        this.err = err;
        this.verbosity = options == null ? 0 : options.verbosity();
        this.json = json;
        this.color = (options == null || !options.noColor) && System.getenv("NO_COLOR") == null
                && Terminal.mayBeTerminal(Path.of("/proc/self/fd/1")) && System.console() != null
                && !"dumb".equals(System.getenv("TERM"));
    }

    private static JsonOption jsonOf(CommandSpec spec) {
        CommandSpec jsonMixin = spec.mixins().get("jsonOption");
        return jsonMixin == null ? null : (JsonOption) jsonMixin.userObject();
    }

    public PrintWriter out() {
        RunOutput.clearProgress();
        return out;
    }

    /** stderr, the progress line cleared first. */
    public PrintWriter err() {
        RunOutput.clearProgress();
        return err;
    }

    /**
     * Where long work reports its progress: the live line on a terminal's stderr, nothing with {@code -q},
     * {@code --json} or when stderr is not a terminal.
     */
    public ProgressListener progress() {
        return quiet() || (json != null && json.on()) ? ProgressListener.NONE : RunOutput.progress();
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
            out().println(line);
        }
    }

    /** A diagnostic on stderr (suppressed by {@code -q}). */
    public void info(String line) {
        if (!quiet()) {
            err().println(line);
        }
    }

    /** A diagnostic on stderr shown with {@code -v}. */
    public void debug(String line) {
        if (verbose()) {
            err().println(line);
        }
    }

    /** A warning on stderr (suppressed by {@code -q}, which leaves errors only). */
    public void warn(String line) {
        if (!quiet()) {
            err().println(paint("33", "warning: ") + line);
        }
    }

    /** Prints one JSON document on stdout, followed by a newline, in the form {@code --json=MODE} asks for. */
    public void json(String document) {
        out.println(json == null ? document : json.render(document));
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

    /**
     * Below 1 TiB the size is formatted with integers, as {@code String.format("%.1f")} rounds it (half up; the
     * quotient by a power of 1024 is exact there and never within a rounding step of a tie it is not): the
     * {@link java.util.Formatter} loads the locale's decimal symbols, a good part of a short command's run.
     */
    static final long EXACT_BELOW = 1L << 40;

    private static String exactSize(long bytes, String[] units) {
        int u = 0;
        while (bytes >= 1L << (10 * (u + 2))) {
            u++;
        }
        int shift = 10 * (u + 1);
        long tenths = bytes * 10 >> shift;
        if ((bytes * 10 & ((1L << shift) - 1)) >= 1L << (shift - 1)) {
            tenths++;
        }
        return (tenths / 10) + "." + (tenths % 10) + " " + units[u];
    }

    /** A size as systemd prints it: bytes below 1 KiB, else one decimal and the binary unit ({@code 126.6 MiB}). */
    public static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        if (bytes < EXACT_BELOW) {
            return exactSize(bytes, units);
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
