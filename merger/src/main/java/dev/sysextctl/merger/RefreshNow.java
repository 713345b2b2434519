package dev.sysextctl.merger;

import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOptions;

/**
 * {@code --now}: the refresh that follows {@code enable}, {@code disable}, {@code mask} or {@code unmask}
 * (docs/cli.md §6.3), with its engine and what the service manager does afterwards ({@code --no-reload},
 * {@code --no-stop}). A request without one changes the configuration only.
 */
public record RefreshNow(EngineKind engine, boolean noReload, boolean noStop) {
    /** A refresh with {@code engine}, PID 1 reloaded and units whose image left stopped. */
    public static RefreshNow with(EngineKind engine) {
        return new RefreshNow(engine, false, false);
    }

    /** The options the refresh runs with. */
    public MergeOptions options() {
        return MergeOptions.now(noReload, noStop);
    }
}
