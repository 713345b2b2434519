package dev.sysextctl.cli;

import dev.sysextctl.merger.ConfigRequest;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sysextctl unmask NAME}. */
@Command(name = "unmask", footer = {"", "Examples:",
            "  sysextctl unmask docker-flatcar --now",
            "", "Exit codes: 0 unmasked (or not masked), 1 I/O failed, 2 usage error, 3 refused (not a mask made by sysextctl)."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Remove the mask that mask created (and nothing else).")
final class UnmaskCommand extends ConfigActionCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name.")
    String name;

    @Override
    Merger.ConfigOutcome run(Merger merger, Node n) throws Exception {
        return merger.unmask(n, new ConfigRequest.Unmask(name, refreshNow()));
    }
}
