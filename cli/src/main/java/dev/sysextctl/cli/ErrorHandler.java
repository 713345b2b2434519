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
        if (ex instanceof CommandLine.ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        return report(ex, cl.getErr(), OutputOptions.verboseRequested(parseResult));
    }

    /**
     * The one line for {@code ex}, a command's failure, on {@code err} (with the stack trace when {@code verbose}), and
     * the exit code: a typed library exception's own, else {@link ExitCodes#FAILED}.
     */
    static int report(Exception ex, PrintWriter err, boolean verbose) {
        if (ex instanceof SysextctlException se) {
            err.println("sysextctl: " + se.getMessage());
            if (verbose && se.getCause() != null) {
                se.getCause().printStackTrace(err);
            }
            err.flush();
            return se.exitCode();
        }
        err.println("sysextctl: internal error: " + ex + "; please report it with the output of -v");
        if (verbose) {
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
        List<String> close = closest(shown, what.equals("unknown option") ? cl.getCommandSpec().optionsMap().keySet()
                : what.equals("unknown command") ? cl.getSubcommands().keySet() : List.of());
        if (close.isEmpty()) {
            close = suggestions.stream().filter(s -> !s.equals(shown)).distinct().limit(3).toList();
        }
        return what + " '" + shown + "'; " + (close.isEmpty() ? help : "did you mean "
                + close.stream().map(s -> "'" + s + "'").collect(Collectors.joining(" or ")) + "?");
    }

    /**
     * The names nearest to {@code typed}, when at most two edits away (insert, delete, replace, swap two neighbours):
     * picocli's own suggestions (used when there are none such) missed "--frce" and offered 'ignition' for "lsit".
     */
    static List<String> closest(String typed, java.util.Collection<String> names) {
        int limit = typed.replaceFirst("^-+", "").length() <= 3 ? 1 : 2;
        int nearest = names.stream().filter(n -> !n.equals(typed)).mapToInt(n -> edits(typed, n)).min()
                .orElse(Integer.MAX_VALUE);
        return nearest > limit ? List.of() : names.stream().filter(n -> !n.equals(typed))
                .filter(n -> edits(typed, n) == nearest).sorted().limit(3).toList();
    }

    /** The optimal string alignment distance between {@code a} and {@code b}. */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
