package dev.sysextctl.cli;

import picocli.CommandLine.Option;

/** {@code --no-reload} and {@code --no-stop}: what follows a change of the running system's merge. */
public final class ManagerOptions {
    @Option(names = "--no-reload", description = "Do not reload the service manager after the merge changed "
            + "(default on the running system: systemctl daemon-reload when an extension merged before or after "
            + "sets EXTENSION_RELOAD_MANAGER=1, as systemd-sysext 255+ does). No unit is stopped then either.")
    boolean noReload;

    @Option(names = "--no-stop", description = "Leave running the units whose unit file left with an unmerged "
            + "image (default: stop them after the reload; they are listed either way).")
    boolean noStop;
}
