package dev.sysextctl.cli;

import dev.sysextctl.merger.ConfigRequest;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.node.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysextctl disable NAME}. */
@Command(name = "disable", footer = {"", "Examples:",
            "  sysextctl disable docker --now",
            "  sysextctl disable --runtime debug",
            "", "Exit codes: 0 disabled (or not enabled), 1 no image of that name or I/O failed, 2 usage error, 3 refused (not a link made by enable)."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Remove the link enable made (/etc/extensions/NAME.raw, or /run/extensions with --runtime; "
                + "for confexts /var/lib/confexts, /run/confexts). "
                + "Regular files and directories are never deleted.")
final class DisableCommand extends ConfigActionCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The extension name.")
    String name;
    @Option(names = "--runtime", description = "Remove the link in /run/extensions (/run/confexts).")
    boolean runtime;

    @Override
    Merger.ConfigOutcome run(Merger merger, Node n) throws Exception {
        return merger.disable(n, new ConfigRequest.Disable(name, runtime, refreshNow()));
    }
}
