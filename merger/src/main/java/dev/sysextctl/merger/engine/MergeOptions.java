package dev.sysextctl.merger.engine;

/**
 * How a merge, unmerge or refresh runs: {@code --force} (skip compatibility checks), {@code --dry-run}, and what
 * follows a change of the live merge: {@code --no-reload} (PID 1 is not reloaded, so no unit is stopped either)
 * and {@code --no-stop} (units whose image left keep running).
 */
public record MergeOptions(boolean force, boolean dryRun, boolean noReload, boolean noStop) {
    public static final MergeOptions DEFAULT = new MergeOptions(false, false, false, false);

    public MergeOptions(boolean force, boolean dryRun) {
        this(force, dryRun, false, false);
    }

    /** The options of the refresh that {@code --now} runs after enable, disable, mask or unmask. */
    public static MergeOptions now(boolean noReload, boolean noStop) {
        return new MergeOptions(false, false, noReload, noStop);
    }
}
