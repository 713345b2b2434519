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
import java.util.concurrent.Callable;

/**
 * {@code status}, {@code list} (and sysextctl with no arguments, the status) and {@code inspect IMAGE} run without a
 * picocli model, when every argument is one of the options that command takes, spelled plainly: for the first two
 * {@code --root}, {@code --systemd-version} and {@code --class} (with {@code =VALUE} or the value next),
 * {@code --no-legend} and {@code --no-pager}; for {@code inspect} its one image, {@code --files} and
 * {@code --systemd-version}; for all three {@code --json[=MODE]}, {@code --no-color}, {@code -q}/{@code --quiet} and
 * {@code -v}/{@code --verbose}. Making the model, even the hand-built one of {@link StartupModels}, and parsing with
 * it (picocli's command specs, their interpolation, its converters' registry and the negatable options' patterns)
 * was about a fifth of a {@code list} of 50 images (README, "Performance"). Anything else returns empty and goes to
 * picocli, which answers it as always: help and version, an option given twice, a value that looks like an option or
 * that the option's converter refuses, a missing or second image, clustered short options, {@code @file} arguments,
 * {@code --}, and every other word. {@code DirectRunsTest} checks that each form taken here sets what picocli sets,
 * and runs both ways to the same output and exit code.
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
        Console console = new Console(out, err, p.output(), p.json());
        if (p.command() instanceof NodeCommand n) {
            n.direct = console;
        } else {
            ((InspectCommand) p.command()).direct = console;
        }
        RunOutput run = RunOutput.begin(err, p.output().verbosity(), p.json().on(), Terminal.current(),
                RunOutput.clock);
        try {
            Integer code = p.command().call();
            return OptionalInt.of(code == null ? ExitCodes.OK : code);
        } catch (Exception e) {
            return OptionalInt.of(ErrorHandler.report(e, err, p.output().verbose.length > 0));
        } finally {
            run.end();
        }
    }

    /** A command with its options set as picocli would set them from the arguments; its output options and --json. */
    record Parsed(Callable<Integer> command, OutputOptions output, JsonOption json) {
    }

    /** What {@code args} set, or null when they are not all among the forms taken here. */
    static Parsed parse(String[] args) {
        String name = args.length == 0 ? "status" : args[0];
        OutputOptions output = new OutputOptions();
        JsonOption json = new JsonOption();
        TableOptions table = null;
        NodeOptions node = null;
        InspectCommand inspect = null;
        Callable<Integer> command;
        if (name.equals("status") || name.equals("list")) {
            NodeCommand n;
            table = new TableOptions();
            if (name.equals("status")) {
                StatusCommand s = new StatusCommand();
                s.jsonOption = json;
                s.table = table;
                n = s;
            } else {
                ListCommand l = new ListCommand();
                l.jsonOption = json;
                l.table = table;
                n = l;
            }
            n.output = output;
            n.node = node = new NodeOptions();
            command = n;
        } else if (name.equals("inspect")) {
            inspect = new InspectCommand();
            inspect.output = output;
            inspect.jsonOption = json;
            command = inspect;
        } else {
            return null;
        }
        for (String a : args) {
            if (a.startsWith("@")) {
                return null; // picocli reads arguments from that file
            }
        }
        Set<String> given = new HashSet<>();
        int verbose = 0;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (inspect != null && !a.startsWith("-")) {
                if (inspect.image != null) {
                    return null; // picocli: unmatched argument
                }
                inspect.image = path(a);
                if (inspect.image == null) {
                    return null;
                }
                continue;
            }
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
                case "--quiet", "--no-color" -> {
                    if (value != null) {
                        return null;
                    }
                    if (canonical.equals("--quiet")) {
                        output.quiet = true;
                    } else {
                        output.noColor = true;
                    }
                }
                case "--no-legend", "--no-pager", "--files" -> {
                    if (value != null || (table == null) != canonical.equals("--files")) {
                        return null; // a table's option on inspect, or --files on status or list
                    }
                    switch (canonical) {
                        case "--no-legend" -> table.noLegend = true;
                        case "--no-pager" -> table.noPager = true;
                        default -> inspect.files = true;
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
                    if (node == null && !canonical.equals("--systemd-version")) {
                        return null; // inspect takes neither
                    }
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                            return null; // missing, or an option picocli would name in its message
                        }
                        value = args[++i];
                    }
                    if (node == null) {
                        inspect.systemdVersion = value;
                    } else if (!set(node, canonical, value)) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (inspect != null && inspect.image == null) {
            return null; // picocli: "Missing required parameter"
        }
        output.verbose = new boolean[verbose];
        java.util.Arrays.fill(output.verbose, true);
        return new Parsed(command, output, json);
    }

    /** A path as {@link SysextctlCommand#path} makes it, or null where that throws (picocli says why). */
    private static java.nio.file.Path path(String value) {
        try {
            return java.nio.file.Paths.get(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
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
                node.root = path(value); // SysextctlCommand.path, which picocli calls
                return node.root != null;
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
