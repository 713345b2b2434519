package dev.sysextctl.cli;

/** The exit codes of the contract (docs/cli.md §1.2). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int REFUSED = 3;

    private ExitCodes() {
    }
}
