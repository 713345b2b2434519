package dev.sysextctl.cli;

import java.util.List;
import java.util.Optional;
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
        return configure(Subcommands.all());
    }

    /**
     * The command line for running {@code args}: when the first argument names a subcommand, only that one is
     * registered (its picocli model is all this run needs); otherwise (help, version, no or an unknown command)
     * every one, so that help, suggestions and messages are those of the full command line. {@code --version}
     * alone needs none.
     */
    public static CommandLine newCommandLine(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configure(List.of());
        }
        if (args.length > 0) {
            Optional<Subcommands.Entry> only = Subcommands.named(args[0]);
            if (only.isPresent() && !args[0].equals(HELP)) {
                return configure(List.of(only.get().factory().get()));
            }
        }
        return newCommandLine();
    }

    private static CommandLine configure(List<Object> subcommands) {
        CommandLine cl = new CommandLine(new SysextctlCommand());
        for (Object sub : subcommands) {
            cl.addSubcommand(sub);
        }
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
