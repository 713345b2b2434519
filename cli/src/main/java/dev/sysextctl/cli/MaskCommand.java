package dev.sysextctl.cli;

import dev.sysextctl.merger.Merger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sysextctl mask NAME}. */
@Command(name = "mask", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Keep every image named NAME from being merged, the way systemd honours it: an empty directory "
                + "/etc/extensions/NAME (a /dev/null link does not mask a lower-priority image).")
final class MaskCommand extends ConfigActionCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name.")
    String name;

    @Override
    Merger.ConfigOutcome run(Merger merger) throws Exception {
        return merger.mask(node.open(), name, nowOptions(), engine.kind());
    }
}
