package dev.sysextctl.cli;

import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;

/** {@code sysextctl refresh}. */
@Command(name = "refresh", footer = {"", "Examples:",
            "  sysextctl refresh",
            "  sysextctl refresh --dry-run --json",
            "", "Exit codes: 0 refreshed, 1 a mount, tool or reload failed (also not root), 2 usage error."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Merge again with the current set of extensions; on failure the previous merge stays.")
final class RefreshCommand extends MergeActionCommand {
    @Override
    MergeOutcome run(Merger merger, Node n, MergeOptions options) throws Exception {
        return merger.refresh(n, engine.kind(), options);
    }
}
