package dev.sysextctl.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sysextctl}: the top command. Subcommands are listed in {@link Subcommands}. */
@Command(name = "sysextctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Build, check, convert and manage systemd-sysext images.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit codes: 0 success, 1 operation failed, 2 usage error, 3 checks refused the input.",
            "Run 'sysextctl COMMAND --help' for a command's options."})
public final class SysextctlCommand implements Callable<Integer> {
    /** {@code help [COMMAND]}: needs every command registered. */
    static final String HELP = "help";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine status = spec.commandLine().getSubcommands().get("status");
        if (status == null) {
            spec.commandLine().usage(spec.commandLine().getErr());
            return ExitCodes.USAGE;
        }
        // Like systemd-sysext: no verb shows the status.
        status.setOut(spec.commandLine().getOut());
        status.setErr(spec.commandLine().getErr());
        return status.execute();
    }

    /** The configured command line with every subcommand: error handling and exit-code mapping. */
    public static CommandLine newCommandLine() {
        skipUnusedPicocliWork();
        return configure(Subcommands.all());
    }

    /**
     * The command line for running {@code args}: when the first argument names a subcommand, only that one is
     * registered (its picocli model is all this run needs); no arguments (the status) register {@code status};
     * {@code --help} alone registers {@link Subcommands#summaries() summaries}, which the usage shows exactly as
     * the full commands; otherwise (help, no or an unknown command) every one, so that help, suggestions and
     * messages are those of the full command line. {@code --version} alone needs none.
     */
    public static CommandLine newCommandLine(String[] args) {
        skipUnusedPicocliWork();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configure(List.of());
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            return configure(Subcommands.summaries());
        }
        if (args.length == 0) {
            return configure(List.of(Subcommands.forRun("status").orElseThrow()));
        }
        if (args.length > 0) {
            Optional<Object> only = args[0].equals(HELP) ? Optional.empty() : Subcommands.forRun(args[0]);
            if (only.isPresent()) {
                return configure(List.of(only.get()));
            }
        }
        return newCommandLine();
    }

    /**
     * The built-in converters picocli registers in every command line that no option of sysextctl's takes: the
     * {@code java.sql} and {@code java.time} types, each looked up by name and its factory method by reflection,
     * which initialises those classes (their formatters and fields among them) in every run. The test of an
     * option's type lists them (picocli's {@code picocli.converters.excludes}; {@code path(String)} converts paths).
     */
    static final String UNUSED_CONVERTERS = "java\\.(sql|time)\\..*";

    /**
     * Spares every run two lookups picocli makes before it parses anything, unless the JVM was told otherwise: the
     * built-in converters of {@link #UNUSED_CONVERTERS}, and Groovy's closure class, which it asks the class path for
     * when it first makes a command object (sysextctl has none; not finding it opens and indexes the jar, which the
     * start-up cache otherwise spares a run).
     */
    static void skipUnusedPicocliWork() {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
        }
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    private static CommandLine configure(List<Object> subcommands) {
        CommandLine cl = new CommandLine(StartupModels.top()); // the annotated model, built without reflection
        for (Object sub : subcommands) {
            cl.addSubcommand(sub);
        }
        if (subcommands.size() > 1) {
            cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                    SysextctlCommand::commandsByTask);
        }
        cl.registerConverter(java.nio.file.Path.class, SysextctlCommand::path);
        HelpLayout.install(cl);
        OptionalInt columns = Terminal.columns(System.getenv());
        boolean plain = FastPaths.plainOutput(FastPaths.HelpSetting.current());
        if (columns.isPresent()) {
            cl.setUsageHelpWidth(columns.getAsInt());
        } else if (!plain) {
            cl.setUsageHelpAutoWidth(true);
        } // else 80 columns, what picocli measures where stdout is no terminal
        if (plain) {
            // what picocli's Ansi.AUTO decides there, without asking System.console() through reflection
            cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        }
        cl.setExecutionStrategy(SysextctlCommand::execute);
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /**
     * A path argument, as picocli's built-in converter makes it ({@code Paths.get}, the same message when it is no
     * path), without the reflection that converter calls {@code Paths.get} through: its first call generates a method
     * accessor (method handles, hidden classes) in every run that takes a path ({@code list --root}, {@code inspect},
     * {@code validate}).
     */
    static java.nio.file.Path path(String s) {
        try {
            return java.nio.file.Paths.get(s);
        } catch (IllegalArgumentException e) { // InvalidPathException: not loaded unless thrown
            throw new CommandLine.TypeConversionException(String.format("cannot convert '%s' to %s (%s)", s,
                    java.nio.file.Path.class, e));
        }
    }

    /**
     * Runs the command the arguments name (picocli's {@code RunLast}) with its stderr side-channels
     * ({@link RunOutput}): the progress line and, with {@code -vv}, the native tools' command lines and stderr.
     */
    private static int execute(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        int verbosity = last.hasMatchedOption("-q") ? -1 : last.matchedOptionValue("-v", new boolean[0]).length;
        boolean json = last.matchedOptionValue("--json", JsonOption.Mode.OFF) != JsonOption.Mode.OFF;
        RunOutput run = RunOutput.begin(last.commandSpec().commandLine().getErr(), verbosity, json,
                Terminal.current(), RunOutput.clock);
        try {
            return new CommandLine.RunLast().execute(parsed);
        } finally {
            run.end();
        }
    }

    /** The top-level commands grouped by task, each with the first sentence of its description. */
    static final List<Map.Entry<String, List<String>>> TASKS = List.of(
            Map.entry("Build and check", List.of("build", "inspect", "validate", "compose")),
            Map.entry("Manage a node", List.of("status", "list", "explain", "enable", "disable", "mask", "unmask",
                    "merge", "unmerge", "refresh")),
            Map.entry("Migrate from torcx", List.of("convert")),
            Map.entry("Provision", List.of("ignition", "release")),
            Map.entry("Help", List.of("help", "completion")));

    private static String commandsByTask(CommandLine.Help help) {
        Map<String, CommandLine.Help> subs = help.subcommands();
        int width = subs.keySet().stream().mapToInt(String::length).max().orElse(8);
        StringBuilder b = new StringBuilder();
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (Map.Entry<String, List<String>> task : TASKS) {
            b.append(task.getKey()).append(":\n");
            for (String name : task.getValue()) {
                CommandLine.Help sub = subs.get(name);
                if (sub != null && shown.add(name)) {
                    line(b, help, width, name, sub);
                }
            }
        }
        for (Map.Entry<String, CommandLine.Help> e : subs.entrySet()) {
            if (shown.add(e.getKey())) {
                line(b, help, width, e.getKey(), e.getValue());
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, CommandLine.Help help, int width, String name, CommandLine.Help sub) {
        String summary = ManPages.summary(sub.commandSpec());
        int indent = 2 + width + 2;
        int max = Math.max(40, help.commandSpec().usageMessage().width()) - indent;
        b.append("  ").append(name).append(" ".repeat(width - name.length() + 2));
        int col = 0;
        for (String word : summary.split(" ")) {
            if (col > 0 && col + 1 + word.length() > max) {
                b.append("\n").append(" ".repeat(indent));
                col = 0;
            } else if (col > 0) {
                b.append(' ');
                col++;
            }
            b.append(word);
            col += word.length();
        }
        b.append("\n");
    }
}
