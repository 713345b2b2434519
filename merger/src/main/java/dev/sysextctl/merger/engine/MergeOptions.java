package dev.sysextctl.merger.engine;

import dev.sysextctl.core.image.ddi.ImagePolicy;

/**
 * How a merge, unmerge or refresh runs: {@code --force} (skip compatibility checks), {@code --dry-run}, and what
 * follows a change of the live merge: {@code --no-reload} (PID 1 is not reloaded, so no unit is stopped either)
 * and {@code --no-stop} (units whose image left keep running); {@code --image-policy} (null: systemd-sysext's
 * default) decides which DDIs the native engine mounts (docs/ddi.md §7).
 */
public record MergeOptions(boolean force, boolean dryRun, boolean noReload, boolean noStop, ImagePolicy imagePolicy) {
    public static final MergeOptions DEFAULT = new MergeOptions(false, false, false, false);

    /** With systemd-sysext's default image policy. */
    public MergeOptions(boolean force, boolean dryRun, boolean noReload, boolean noStop) {
        this(force, dryRun, noReload, noStop, null);
    }

    /** The same options under {@code policy} ({@code --image-policy}; null: systemd-sysext's default). */
    public MergeOptions withImagePolicy(ImagePolicy policy) {
        return new MergeOptions(force, dryRun, noReload, noStop, policy);
    }

    public MergeOptions(boolean force, boolean dryRun) {
        this(force, dryRun, false, false);
    }

    /** The options of the refresh that {@code --now} runs after enable, disable, mask or unmask. */
    public static MergeOptions now(boolean noReload, boolean noStop) {
        return new MergeOptions(false, false, noReload, noStop);
    }
}
