package dev.sysextctl.cli;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --root} and {@code --systemd-version}, shared by the commands that manage a node. */
public final class NodeOptions {
    @Option(names = "--root", paramLabel = "DIR", description = "Operate on the OS tree at DIR instead of /. "
            + "Every path is resolved inside DIR; symlinks never lead out of it.")
    Path root = Path.of("/");

    @Option(names = "--systemd-version", paramLabel = "N", description = "Apply the rules of this systemd release "
            + "(search paths, names). Default: the root's systemd, else 252.")
    String systemdVersion;

    Node open() throws UsageException, OperationFailedException {
        return Node.open(root, systemdVersion == null ? null : SystemdVersion.parse(systemdVersion), System.getenv());
    }
}
