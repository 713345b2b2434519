package dev.sysextctl.cli;

import dev.sysextctl.merger.ConfigRequest;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sysextctl enable IMAGE}. */
@Command(name = "enable", footer = {"", "Examples:",
            "  sysextctl enable /opt/extensions/docker/docker-24.0-x86-64.raw --now",
            "  sysextctl enable --root /mnt/node /opt/extensions/tools/tools.raw",
            "  sysextctl enable --runtime ./debug.raw --name debug",
            "  sysextctl enable --class confext /opt/confexts/site/site-1.raw --now",
            "", "Exit codes: 0 enabled (or already), 1 I/O or reload failed, 2 usage error (no such image), 3 the image does not fit the node (--force overrides)."},
        mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Link /etc/extensions/NAME.raw (or /run/extensions with --runtime; for confexts "
                + "/var/lib/confexts and /run/confexts) to IMAGE, atomically, after checking that the image carries "
                + "NAME's extension-release and fits the node.")
final class EnableCommand extends ConfigActionCommand {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "An image file, directory or block device. "
            + "With --root DIR an absolute path names a path inside DIR, as systemd's --root does; a host path "
            + "inside DIR works too.")
    Path image;
    @Option(names = "--name", paramLabel = "NAME", description = "The extension name (default: the name inside the "
            + "image).")
    String name;
    @Option(names = "--runtime", description = "Link in /run/extensions (/run/confexts; gone at reboot).")
    boolean runtime;
    @Option(names = "--force", description = "Enable even if the name or compatibility checks fail.")
    boolean force;

    @Override
    List<Node> nodes() throws Exception {
        return List.of(node.openOne("enable"));
    }

    @Override
    Merger.ConfigOutcome run(Merger merger, Node n) throws Exception {
        return merger.enable(n, new ConfigRequest.Enable(image, name, runtime, force, refreshNow()));
    }
}
