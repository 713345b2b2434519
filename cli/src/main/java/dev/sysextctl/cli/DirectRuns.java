package dev.sysextctl.cli;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.merger.engine.EngineKind;
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
 * {@code status}, {@code list} (and sysextctl with no arguments, the status), {@code merge}, {@code refresh},
 * {@code unmerge}, {@code inspect IMAGE}, {@code validate IMAGE...} and {@code build SOURCE...} run without a picocli
 * model, when every argument is one of the options or parameters that command takes, spelled plainly (an option's value
 * after {@code =} or as the next argument): for the node commands {@code --root}, {@code --systemd-version} and
 * {@code --class}, with {@code --no-legend} and {@code --no-pager} for status and list, {@code --engine},
 * {@code --image-policy}, {@code --force}, {@code --dry-run}, {@code --no-reload} and {@code --no-stop} for the other
 * three; for {@code inspect} its one image, {@code --files} and {@code --systemd-version}; for {@code validate} its
 * images and every option of its target, {@code --class}, {@code --as}, {@code --image-policy} and
 * {@code --trusted-certs} (repeatable); for {@code build} its sources and every option but the forms {@link BuildForm}
 * names; for all of them {@code --json[=MODE]}, {@code --no-color}, {@code -q}/{@code --quiet} and
 * {@code -v}/{@code --verbose}. Making the model, even the hand-built one of {@link StartupModels}, and parsing with it
 * (picocli's command specs, their interpolation, its converters' registry and the negatable options' patterns) was
 * about a fifth of a {@code list} of 50 images (README, "Performance"). Anything else returns empty and goes to
 * picocli, which answers it as always: help and version, an option given twice, a value that looks like an option or
 * that the option's converter refuses, a missing image (or a second one for inspect), clustered short options,
 * {@code @file} arguments, {@code --}, and every other word. {@code DirectRunsTest} checks that each form taken here
 * sets what picocli sets, and runs both ways to the same output and exit code.
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
        p.command().printTo(new Console(out, err, p.output(), p.json()));
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

    /** A command this class can run: it prints to the console it is given instead of making one from its spec. */
    interface Command extends Callable<Integer> {
        /** The console of this run (picocli's runs make theirs from the command's spec). */
        void printTo(Console console);
    }

    /** A command with its options set as picocli would set them from the arguments; its output options and --json. */
    record Parsed(Command command, OutputOptions output, JsonOption json) {
    }

    /**
     * The options and parameters of one command beyond those every one takes here ({@code -q}, {@code -v},
     * {@code --no-color}, {@code --json}). A value its converter refuses throws ({@link UsageException}, or an
     * {@link IllegalArgumentException} such as {@link java.nio.file.InvalidPathException}): the run goes to picocli,
     * which says why.
     */
    private interface Form {
        /** Sets the flag {@code option}; false when the command has no such flag. */
        boolean flag(String option);

        /** Whether {@code option} takes a value. */
        boolean takesValue(String option);

        /** Sets the option {@code option}, one {@link #takesValue} names, to {@code value}. */
        void value(String option, String value) throws UsageException;

        /** Whether {@code option} may be given more than once (a list). */
        default boolean repeatable(String option) {
            return false;
        }

        /** Takes {@code arg}, a positional parameter; false when the command takes no (further) one. */
        default boolean positional(String arg) {
            return false;
        }

        /** Whether the required parameters are all there. */
        default boolean complete() {
            return true;
        }

        /** The option's first name, for an option that has two ({@code --level} is {@code --sysext-level}). */
        default String canonical(String option) {
            return option;
        }

        /** Whether {@code option} is taken here only with its value after {@code =}. */
        default boolean inlineOnly(String option) {
            return false;
        }
    }

    /**
     * The node commands: the node options, and the table options of status and list ({@code table}) or the options
     * of merge, refresh and unmerge ({@code merge}); the other is null.
     */
    private record NodeForm(NodeOptions node, TableOptions table, MergeActionCommand merge) implements Form {
        @Override
        public boolean flag(String option) {
            if (table != null) {
                switch (option) {
                    case "--no-legend" -> table.noLegend = true;
                    case "--no-pager" -> table.noPager = true;
                    default -> {
                        return false;
                    }
                }
                return true;
            }
            switch (option) {
                case "--force" -> merge.force = true;
                case "--dry-run" -> merge.dryRun = true;
                case "--no-reload" -> merge.manager.noReload = true;
                case "--no-stop" -> merge.manager.noStop = true;
                default -> {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean takesValue(String option) {
            return switch (option) {
                case "--root", "--systemd-version", "--class" -> true;
                case "--engine", "--image-policy" -> merge != null;
                default -> false;
            };
        }

        @Override
        public void value(String option, String value) throws UsageException {
            switch (option) {
                case "--root" -> node.root = path(value);
                case "--systemd-version" -> node.systemdVersion = value;
                case "--image-policy" -> merge.imagePolicy = value;
                case "--engine" -> merge.engine.engine = EngineKind.parse(value); // EnumValues.Engines
                default -> node.classes = ClassSelection.parse(value); // EnumValues.NodeClasses
            }
        }
    }

    /** inspect: one image, --files and --systemd-version. */
    private record InspectForm(InspectCommand c) implements Form {
        @Override
        public boolean flag(String option) {
            if (!option.equals("--files")) {
                return false;
            }
            c.files = true;
            return true;
        }

        @Override
        public boolean takesValue(String option) {
            return option.equals("--systemd-version");
        }

        @Override
        public void value(String option, String value) {
            c.systemdVersion = value;
        }

        @Override
        public boolean positional(String arg) {
            if (c.image != null) {
                return false; // a second image: picocli's "unmatched argument"
            }
            c.image = path(arg);
            return true;
        }

        @Override
        public boolean complete() {
            return c.image != null;
        }
    }

    /** validate: images, the target's options and the trusted certificates. */
    private record ValidateForm(ValidateCommand c) implements Form {
        @Override
        public boolean flag(String option) {
            return false;
        }

        @Override
        public boolean takesValue(String option) {
            return switch (option) {
                case "--root", "--os-release", "--os", "--os-version", "--sysext-level", "--confext-level", "--arch",
                    "--scope", "--systemd-version", "--class", "--as", "--image-policy", "--trusted-certs" -> true;
                default -> false;
            };
        }

        @Override
        public boolean repeatable(String option) {
            return option.equals("--trusted-certs");
        }

        @Override
        public void value(String option, String value) throws UsageException {
            switch (option) {
                case "--root" -> c.root = path(value);
                case "--os-release" -> c.osRelease = path(value);
                case "--os" -> c.os = value;
                case "--os-version" -> c.osVersion = value;
                case "--sysext-level" -> c.sysextLevel = value;
                case "--confext-level" -> c.confextLevel = value;
                case "--arch" -> c.arch = value;
                case "--scope" -> c.scope = value;
                case "--systemd-version" -> c.systemdVersion = value;
                case "--as" -> c.as = value;
                case "--image-policy" -> c.imagePolicy = value;
                case "--trusted-certs" -> c.trustedCerts.add(path(value));
                default -> c.extensionClass = EnumValues.extensionClass(value); // EnumValues.ImageClasses
            }
        }

        @Override
        public boolean positional(String arg) {
            return c.images.add(path(arg));
        }

        @Override
        public boolean complete() {
            return !c.images.isEmpty();
        }
    }

    /**
     * build: its sources and options. Not taken: {@code --version} or {@code --image-version} without {@code =} (arity
     * 0..1: picocli may take the next argument as the version, or print sysextctl's own), {@code -} (a tar archive on
     * standard input), and {@code -o} with its value attached.
     */
    private record BuildForm(BuildCommand c) implements Form {
        @Override
        public String canonical(String option) {
            return switch (option) {
                case "--version" -> "--image-version";
                case "--level" -> "--sysext-level";
                case "--output" -> "-o";
                default -> option;
            };
        }

        @Override
        public boolean inlineOnly(String option) {
            return option.equals("--image-version");
        }

        @Override
        public boolean flag(String option) {
            switch (option) {
                case "--reload-manager" -> c.reloadManager = true;
                case "--keep-ownership" -> c.build.keepOwnership = true;
                case "--strict" -> c.build.strict = true;
                case "--force" -> c.build.force = true;
                default -> {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean takesValue(String option) {
            return switch (option) {
                case "--base", "--layers", "--include", "--name", "--class", "--fs", "--sign-key", "--certificate",
                    "--seed", "-o", "--report", "--os", "--os-version", "--sysext-level", "--target-os-release", "--arch",
                    "--scope", "--set", "--format", "--compression", "--source-date-epoch", "--image-version" -> true;
                default -> false;
            };
        }

        @Override
        public boolean repeatable(String option) {
            return option.equals("--include") || option.equals("--set");
        }

        @Override
        public void value(String option, String value) throws UsageException {
            BuildOptions b = c.build;
            switch (option) {
                case "--base" -> c.base = value;
                case "--layers" -> c.layers = value;
                case "--include" -> c.includes.add(value);
                case "--name" -> c.name = value;
                case "--class" -> c.extensionClass = EnumValues.extensionClass(value); // EnumValues.ImageClasses
                case "--fs" -> c.ddiFileSystem = BuildFormat.parseFileSystem(value); // EnumValues.DdiFileSystems
                case "--sign-key" -> c.signKey = path(value);
                case "--certificate" -> c.certificate = path(value);
                case "--seed" -> c.seed = value;
                case "--image-version" -> c.version = value;
                case "-o" -> c.outputPath = path(value);
                case "--report" -> c.report = path(value);
                case "--os" -> b.os = value;
                case "--os-version" -> b.osVersion = value;
                case "--sysext-level" -> b.sysextLevel = value;
                case "--target-os-release" -> b.targetOsRelease = path(value);
                case "--arch" -> b.arch = value;
                case "--scope" -> b.scope = value;
                case "--set" -> b.set.add(value);
                case "--format" -> b.format = BuildFormat.parse(value); // EnumValues.Formats
                case "--compression" -> b.compression = Compression.parse(value); // EnumValues.Compressions
                default -> b.sourceDateEpoch = Long.valueOf(value); // picocli's Long converter
            }
        }

        @Override
        public boolean positional(String arg) {
            return c.sources.add(path(arg));
        }
    }

    /** What {@code args} set, or null when they are not all among the forms taken here. */
    static Parsed parse(String[] args) {
        String name = args.length == 0 ? "status" : args[0];
        OutputOptions output = new OutputOptions();
        JsonOption json = new JsonOption();
        Command command;
        Form form;
        switch (name) {
            case "status", "list" -> {
                NodeCommand n;
                TableOptions table = new TableOptions();
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
                n.node = new NodeOptions();
                form = new NodeForm(n.node, table, null);
                command = n;
            }
            case "merge", "refresh", "unmerge" -> {
                MergeActionCommand m = name.equals("merge") ? new MergeCommand()
                        : name.equals("refresh") ? new RefreshCommand() : new UnmergeCommand();
                m.output = output;
                m.node = new NodeOptions();
                m.engine = new EngineOptions();
                m.manager = new ManagerOptions();
                m.jsonOption = json;
                form = new NodeForm(m.node, null, m);
                command = m;
            }
            case "inspect" -> {
                InspectCommand c = new InspectCommand();
                c.output = output;
                c.jsonOption = json;
                form = new InspectForm(c);
                command = c;
            }
            case "build" -> {
                BuildCommand c = new BuildCommand();
                c.output = output;
                c.help = new ShortVersionHelpOptions();
                c.build = new BuildOptions();
                c.jsonOption = json;
                form = new BuildForm(c);
                command = c;
            }
            case "validate" -> {
                ValidateCommand c = new ValidateCommand();
                c.output = output;
                c.jsonOption = json;
                form = new ValidateForm(c);
                command = c;
            }
            default -> {
                return null;
            }
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
            if (!a.startsWith("-")) {
                try {
                    if (!form.positional(a)) {
                        return null; // picocli: unmatched argument
                    }
                } catch (IllegalArgumentException e) {
                    return null; // no path
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
            String canonical = option.equals("-q") ? "--quiet" : form.canonical(option);
            if (!given.add(canonical) && !form.repeatable(canonical)) {
                return null; // picocli: "should be specified only once"
            }
            if (canonical.equals("--json")) {
                // JsonOption.ModeConsumer: a mode is taken from "=MODE" or the next argument when it is one
                JsonOption.Mode m = mode(value != null ? value : i + 1 < args.length ? args[i + 1] : null);
                if (value != null && m == null) {
                    return null; // picocli leaves it for a positional parameter: an error
                }
                if (value == null && m != null) {
                    i++;
                }
                json.mode = m != null ? m : JsonOption.Mode.PRETTY;
            } else if (form.takesValue(canonical)) {
                if (value == null && form.inlineOnly(canonical)) {
                    return null;
                }
                if (value == null) {
                    if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
                        return null; // missing, or an option picocli would name in its message
                    }
                    value = args[++i];
                }
                try {
                    form.value(canonical, value);
                } catch (UsageException | IllegalArgumentException e) {
                    return null; // the option's converter refuses it
                }
            } else if (value != null) {
                return null; // a flag with a value, or an option unknown here
            } else if (canonical.equals("--quiet")) {
                output.quiet = true;
            } else if (canonical.equals("--no-color")) {
                output.noColor = true;
            } else if (!form.flag(canonical)) {
                return null;
            }
        }
        if (!form.complete()) {
            return null; // picocli: "Missing required parameter"
        }
        output.verbose = new boolean[verbose];
        java.util.Arrays.fill(output.verbose, true);
        return new Parsed(command, output, json);
    }

    /** A path as {@link SysextctlCommand#path}, picocli's converter, makes it ({@code InvalidPathException} where not). */
    private static java.nio.file.Path path(String value) {
        return java.nio.file.Paths.get(value);
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
