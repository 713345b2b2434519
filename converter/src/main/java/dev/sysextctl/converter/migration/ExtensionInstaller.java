package dev.sysextctl.converter.migration;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.merger.config.Masks;
import dev.sysextctl.merger.config.StoredImages;
import dev.sysextctl.merger.lock.NodeLock;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs a converted set into a root the way Flatcar's documentation and the sysext-bakery do
 * (docs/torcx.md §4.2–4.3), through the merger's configuration API ({@link StoredImages}, {@link Masks}): each image
 * at {@code /opt/extensions/NAME/FILE} with the link {@code /etc/extensions/NAME.raw} to it, and Flatcar's built-in
 * {@code docker-flatcar} / {@code containerd-flatcar} disabled when the set provides docker / containerd, by
 * replacing their {@code /etc/extensions/NAME.raw} link with a link to {@code /dev/null} (the built-ins are enabled
 * only by that link; docs/compatibility.md §1.4). An empty directory {@code /etc/extensions/NAME} would not do: next
 * to the existing {@code NAME.raw} link (which lives in Flatcar's {@code /etc} lower layer) whichever readdir returns
 * first would win. Every precondition is checked before anything is written, all of it under the node lock that
 * serialises the commands changing a node.
 */
public final class ExtensionInstaller {
    public static final String DOCKER_BUILTIN = "docker-flatcar";
    public static final String CONTAINERD_BUILTIN = "containerd-flatcar";
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    /** One image to install: extension name, the image file written by the converter, its file name. */
    public record Item(String name, Path image, String fileName, Set<String> provides) {
    }

    private ExtensionInstaller() {
    }

    /** Installs {@code items} while holding the node lock ({@code /run/sysextctl.lock} inside the root). */
    public static Installation install(Path root, List<Item> items) throws SysextctlException {
        Node node = Node.open(root, null, System.getenv());
        try (NodeLock lock = NodeLock.acquire(node, "convert torcx-profile --enable", LOCK_WAIT, Clock.systemUTC())) {
            return installLocked(node, items);
        }
    }

    private static Installation installLocked(Node node, List<Item> items) throws SysextctlException {
        for (Item i : items) {
            StoredImages.checkLinkable(node, i.name());
        }
        List<Installation.Enabled> enabled = new ArrayList<>();
        for (Item i : items) {
            StoredImages.Stored s = StoredImages.install(node, i.name(), i.image(), i.fileName());
            enabled.add(new Installation.Enabled(s.name(), s.image(), s.link()));
        }
        Set<String> builtIns = new LinkedHashSet<>();
        for (Item i : items) {
            if (i.provides().contains("docker")) {
                builtIns.add(DOCKER_BUILTIN);
            }
            if (i.provides().contains("containerd")) {
                builtIns.add(CONTAINERD_BUILTIN);
            }
        }
        List<Installation.Masked> masked = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String b : builtIns) {
            Masks.Disabled d = Masks.disable(node, b);
            if (d.link() != null) {
                masked.add(new Installation.Masked(b, d.link()));
            } else {
                notes.add(d.note());
            }
        }
        return new Installation(enabled, masked, notes);
    }
}
