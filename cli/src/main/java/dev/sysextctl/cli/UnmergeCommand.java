package dev.sysextctl.cli;

import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;

/** {@code sysextctl unmerge}. */
@Command(name = "unmerge", footer = {"", "Examples:",
            "  sysextctl unmerge",
            "  sysextctl unmerge --no-stop",
            "", "Exit codes: 0 unmerged (or nothing merged), 1 a mount, tool or reload failed (also not root), 2 usage error."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Remove the merge from every hierarchy (merges made by sysextctl or systemd-sysext).")
final class UnmergeCommand extends MergeActionCommand {
    @Override
    MergeOutcome run(Merger merger, Node n, MergeOptions options) throws Exception {
        return merger.unmerge(n, engine.kind(), options);
    }
}
