package dev.sysextctl.cli;

import dev.sysextctl.core.error.SysextctlException;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Maps failures to the contract's exit codes and prints exactly one line saying what went wrong and what to
 * do: typed library exceptions carry their own message and code; usage errors get exit 2 and a pointer to
 * {@code --help}; anything else is an internal error (exit 1, stack trace with {@code -v}).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        if (ex instanceof SysextctlException se) {
            err.println("sysextctl: " + se.getMessage());
            if (OutputOptions.verboseRequested(parseResult) && se.getCause() != null) {
                se.getCause().printStackTrace(err);
            }
            err.flush();
            return se.exitCode();
        }
        if (ex instanceof CommandLine.ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        err.println("sysextctl: internal error: " + ex + "; please report it with the output of -v");
        if (OutputOptions.verboseRequested(parseResult)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILED;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        String help = "see '" + cl.getCommandSpec().qualifiedName() + " --help'";
        if (ex instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            err.println("sysextctl: " + unmatched(cl, u.getUnmatched().get(0), u.getSuggestions(), help));
            err.flush();
            return ExitCodes.USAGE;
        }
        err.println("sysextctl: " + ex.getMessage() + "; " + help);
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * "unknown command 'biuld'; did you mean 'build'?", "unknown option '--forse'; did you mean '--force'?", or
     * "unexpected argument 'x'; see ... --help" ({@code help}: the pointer to --help, when there is no suggestion).
     */
    static String unmatched(CommandLine cl, String arg, List<String> suggestions, String help) {
        String what = arg.startsWith("-") && arg.length() > 1 ? "unknown option"
                : !cl.getSubcommands().isEmpty() ? "unknown command" : "unexpected argument";
        int eq = arg.indexOf('=');
        String shown = arg.startsWith("-") && eq > 0 ? arg.substring(0, eq) : arg;
        List<String> close = suggestions.stream().filter(s -> !s.equals(shown)).distinct().limit(3).toList();
        return what + " '" + shown + "'; " + (close.isEmpty() ? help : "did you mean "
                + close.stream().map(s -> "'" + s + "'").collect(Collectors.joining(" or ")) + "?");
    }
}
