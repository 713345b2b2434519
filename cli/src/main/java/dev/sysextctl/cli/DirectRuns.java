package dev.sysextctl.cli;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.merger.node.ClassSelection;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code status} and {@code list} (and sysextctl with no arguments, the status) run without a picocli model, when
 * every argument is one of the options those two take, spelled plainly: {@code --root}, {@code --systemd-version} and
 * {@code --class} (with {@code =VALUE} or the value next), {@code --json[=MODE]}, {@code --no-legend},
 * {@code --no-pager}, {@code --no-color}, {@code -q}/{@code --quiet} and {@code -v}/{@code --verbose}. Making the
 * model, even the hand-built one of {@link StartupModels}, and parsing with it (picocli's command specs, their
 * interpolation, its converters' registry and the negatable options' patterns) was about a fifth of a {@code list}
 * of 50 images (README, "Performance"). Anything else returns empty and goes to picocli, which answers it as
 * always: help and version, an option given twice, a value that looks like an option or that the option's converter
 * refuses, clustered short options, {@code @file} arguments, {@code --}, and every other word.
 * {@code DirectRunsTest} checks that each form taken here sets what picocli sets, and runs both ways to the same
 * output and exit code.
 */
final class DirectRuns {
    /** {@code -Dsysextctl.direct=false} sends every run to picocli (the tests compare the two). */
    static final String PROPERTY = "sysextctl.direct";

    private DirectRuns() {
    }

    /** The exit code of {@code args} run here, or empty when picocli has to parse them. */
    static OptionalInt run(String[] args) {
        if ("false".equals(System.getProperty(PROPERTY))) {
            return OptionalInt.empty();
        }
        Parsed p = parse(args);
        if (p == null) {
            return OptionalInt.empty();
        }
        // the writers picocli's CommandLine makes for getOut() and getErr()
        PrintWriter out = writer(System.out, "sun.stdout.encoding");
        PrintWriter err = writer(System.err, "sun.stderr.encoding");
        p.command.direct = new Console(out, err, p.command.output, p.json);
        RunOutput run = RunOutput.begin(err, p.command.output.verbosity(), p.json.on(), Terminal.current(),
                RunOutput.clock);
        try {
            Integer code = p.command.call();
            return OptionalInt.of(code == null ? ExitCodes.OK : code);
        } catch (Exception e) {
            return OptionalInt.of(ErrorHandler.report(e, err, p.command.output.verbose.length > 0));
        } finally {
            run.end();
        }
    }

    /** A command with its options set as picocli would set them from the arguments, and its --json. */
    record Parsed(NodeCommand command, JsonOption json, TableOptions table) {
    }

    /** What {@code args} set, or null when they are not all among the forms taken here. */
    static Parsed parse(String[] args) {
        String name = args.length == 0 ? "status" : args[0];
        JsonOption json = new JsonOption();
        TableOptions table = new TableOptions();
        NodeCommand command;
        if (name.equals("status")) {
            StatusCommand s = new StatusCommand();
            s.jsonOption = json;
            s.table = table;
            command = s;
        } else if (name.equals("list")) {
            ListCommand l = new ListCommand();
            l.jsonOption = json;
            l.table = table;
            command = l;
        } else {
            return null;
        }
        command.output = new OutputOptions();
        command.node = new NodeOptions();
        for (String a : args) {
            if (a.startsWith("@")) {
                return null; // picocli reads arguments from that file
            }
        }
        Set<String> given = new HashSet<>();
        int verbose = 0;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String option = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                option = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (option.equals("-v") || option.equals("--verbose")) {
                if (value != null) {
                    return null;
                }
                verbose++;
                continue;
            }
            String canonical = option.equals("-q") ? "--quiet" : option;
            if (!given.add(canonical)) {
                return null; // picocli: "should be specified only once"
            }
            switch (canonical) {
                case "--quiet", "--no-color", "--no-legend", "--no-pager" -> {
                    if (value != null) {
                        return null;
                    }
                    switch (canonical) {
                        case "--quiet" -> command.output.quiet = true;
                        case "--no-color" -> command.output.noColor = true;
                        case "--no-legend" -> table.noLegend = true;
                        default -> table.noPager = true;
                    }
                }
                case "--json" -> {
                    // JsonOption.ModeConsumer: a mode is taken from "=MODE" or the next argument when it is one
                    String mode = value != null ? value : i + 1 < args.length ? args[i + 1] : null;
                    JsonOption.Mode m = mode(mode);
                    if (value != null && m == null) {
                        return null; // picocli leaves it for a positional parameter: an error
                    }
                    if (value == null && m != null) {
                        i++;
                    }
                    json.mode = m != null ? m : JsonOption.Mode.PRETTY;
                }
                case "--root", "--systemd-version", "--class" -> {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                            return null; // missing, or an option picocli would name in its message
                        }
                        value = args[++i];
                    }
                    if (!set(command.node, canonical, value)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        command.output.verbose = new boolean[verbose];
        java.util.Arrays.fill(command.output.verbose, true);
        return new Parsed(command, json, table);
    }

    /** The mode {@code text} names as {@link JsonOption.ModeConsumer} reads it (any case), else null. */
    private static JsonOption.Mode mode(String text) {
        if (text != null) {
            for (JsonOption.Mode m : JsonOption.Mode.values()) {
                if (m.name().equalsIgnoreCase(text)) {
                    return m;
                }
            }
        }
        return null;
    }

    /** Sets a node option as its converter makes it; false where the converter refuses the value. */
    private static boolean set(NodeOptions node, String option, String value) {
        switch (option) {
            case "--root" -> {
                try {
                    node.root = java.nio.file.Paths.get(value); // SysextctlCommand.path, which picocli calls
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }
            case "--systemd-version" -> node.systemdVersion = value;
            default -> {
                try {
                    node.classes = ClassSelection.parse(value); // EnumValues.NodeClasses
                } catch (UsageException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** picocli's writer for {@code stream}: the charset its property names, else the default; flushed per line. */
    private static PrintWriter writer(OutputStream stream, String property) {
        String name = System.getProperty(property);
        Charset charset = Charset.defaultCharset();
        if (name != null) {
            try {
                charset = Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
            } catch (RuntimeException e) {
                // picocli keeps the default then too
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }
}
