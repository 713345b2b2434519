package dev.sysextctl.cli;

import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;

/** {@code sysextctl merge}. */
@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Merge the extensions into /usr and /opt (read-only overlays), skipping broken or incompatible images.")
final class MergeCommand extends MergeActionCommand {
    @Override
    MergeOutcome run(Merger merger, Node n, MergeOptions options) throws Exception {
        return merger.merge(n, engine.kind(), options);
    }
}
