package dev.sysextctl.merger.engine;

/** How a merge, unmerge or refresh runs: {@code --force} (skip compatibility checks) and {@code --dry-run}. */
public record MergeOptions(boolean force, boolean dryRun) {
    public static final MergeOptions DEFAULT = new MergeOptions(false, false);
}
