package dev.sysextctl.cli;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.merger.node.ClassSelection;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --root}, {@code --systemd-version} and {@code --class}, shared by the commands that manage a node. */
public final class NodeOptions {
    @Option(names = "--root", paramLabel = "DIR", description = "Operate on the OS tree at DIR instead of /. "
            + "Every path is resolved inside DIR; symlinks never lead out of it.")
    Path root = Path.of("/");

    @Option(names = "--systemd-version", paramLabel = "N", description = "Apply the rules of this systemd release "
            + "(search paths, names). Default: the root's systemd, else 252 for sysexts and 257 for confexts.")
    String systemdVersion;

    @Option(names = "--class", paramLabel = "CLASS", converter = EnumValues.NodeClasses.class,
            completionCandidates = EnumValues.NodeClasses.class, description = "${COMPLETION-CANDIDATES}: sysext (default: "
            + "system extensions, /usr and /opt), confext (configuration extensions, /etc; systemd 254 and later) or "
            + "all (both, sysexts first).")
    ClassSelection classes = ClassSelection.SYSEXT;

    /** The node with its sysexts (whatever --class says). */
    Node open() throws UsageException, OperationFailedException {
        return Node.open(root, systemdVersion == null ? null : SystemdVersion.parse(systemdVersion), System.getenv());
    }

    /** The node once per class that {@code --class} selects, sysexts first. */
    List<Node> openClasses() throws UsageException, OperationFailedException {
        Node n = open();
        Map<String, String> env = System.getenv();
        List<Node> out = new ArrayList<>();
        for (ExtensionClass c : classes.classes()) {
            out.add(n.forClass(c, env));
        }
        return out;
    }

    /** The node of the one class {@code --class} selects; {@code all} is a usage error naming {@code what}. */
    Node openOne(String what) throws UsageException, OperationFailedException {
        if (classes == ClassSelection.ALL) {
            throw new UsageException(what + " works on one class of extension; give --class sysext or --class "
                    + "confext");
        }
        return openClasses().get(0);
    }

    /** Whether output names the class of each row (any --class but the default). */
    boolean showsClass() {
        return classes != ClassSelection.SYSEXT;
    }
}
