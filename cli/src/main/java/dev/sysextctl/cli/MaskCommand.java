package dev.sysextctl.cli;

import dev.sysextctl.merger.ConfigRequest;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sysextctl mask NAME}. */
@Command(name = "mask", footer = {"", "Examples:",
            "  sysextctl mask docker-flatcar --now",
            "  sysextctl mask --root /mnt/node containerd-flatcar",
            "", "Exit codes: 0 masked, 1 I/O failed, 2 usage error, 3 refused (something else is in the way)."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Keep every image named NAME from being merged, the way systemd honours it: an empty directory "
                + "/etc/extensions/NAME (a /dev/null link does not mask a lower-priority image); for confexts "
                + "/var/lib/confexts/NAME.")
final class MaskCommand extends ConfigActionCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name.")
    String name;

    @Override
    Merger.ConfigOutcome run(Merger merger, Node n) throws Exception {
        return merger.mask(n, new ConfigRequest.Mask(name, refreshNow()));
    }
}
