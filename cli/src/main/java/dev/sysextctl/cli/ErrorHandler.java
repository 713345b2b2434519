package dev.sysextctl.cli;

import dev.sysextctl.core.error.SysextctlException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

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
        err.println("sysextctl: " + ex.getMessage() + "; see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }
}
