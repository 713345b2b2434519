package dev.sysextctl.cli;

import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;

/** {@code sysextctl merge}. */
@Command(name = "merge", footer = {"", "Examples:",
            "  sysextctl merge",
            "  sysextctl merge --dry-run",
            "  sysextctl merge --class all",
            "  sysextctl merge --engine systemd-sysext",
            "", "Exit codes: 0 merged (or nothing to merge), 1 a mount, tool or reload failed (also not root), 2 usage error."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Merge the extensions into /usr and /opt (read-only overlays), skipping broken or incompatible images.")
final class MergeCommand extends MergeActionCommand {
    @Override
    MergeOutcome run(Merger merger, Node n, MergeOptions options) throws Exception {
        return merger.merge(n, engine.kind(), options);
    }
}
