package dev.sysextctl.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** {@code -v}, {@code -q} and {@code --no-color}, mixed into every command. */
public final class OutputOptions {
    @Option(names = {"-v", "--verbose"}, description = "Say more; -vv also prints the native tools' command lines and "
            + "stderr.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, description = "Print only errors.")
    boolean quiet;

    @Option(names = "--no-color", description = "No ANSI colors (also when NO_COLOR is set or stdout is not a "
            + "terminal).")
    boolean noColor;

    public int verbosity() {
        return quiet ? -1 : verbose.length;
    }

    static boolean verboseRequested(ParseResult pr) {
        ParseResult p = pr;
        while (p != null) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
            p = p.subcommand();
        }
        return false;
    }
}
