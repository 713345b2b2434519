package dev.sysextctl.cli;

import dev.sysextctl.merger.node.Node;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What the commands that look at or change a node share: the command spec, {@code -v/-q/--no-color} and
 * {@code --root}/{@code --systemd-version}. Picocli reads these fields before a subclass's, so every subclass's
 * help lists them first, as when each command declared them.
 */
abstract class NodeCommand implements DirectRuns.Command {
    @Spec
    CommandSpec spec;
    @Mixin
    OutputOptions output;
    @Mixin
    NodeOptions node;

    /**
     * The note, on stderr (not with {@code -q}), that a confext's systemd is assumed because the root's is not known
     * (docs/cli.md §6).
     */
    static void noteAssumedVersion(Console c, List<Node> nodes) {
        for (Node n : nodes) {
            // no lambda: status and list run this on their start-up path
            java.util.Optional<String> note = n.assumedVersionNote();
            if (note.isPresent()) {
                c.info("note: " + note.get());
            }
        }
    }

    /** The console of a run that picocli did not parse ({@link DirectRuns}), else null. */
    private Console direct;

    @Override
    public void printTo(Console console) {
        direct = console;
    }

    /** The console for this run's output options. */
    Console console() {
        return direct != null ? direct : new Console(spec, output);
    }
}
