package dev.sysextctl.cli;

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
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** The configured command line: subcommands, error handling and exit-code mapping. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new SysextctlCommand());
        for (Object sub : Subcommands.all()) {
            cl.addSubcommand(sub);
        }
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
