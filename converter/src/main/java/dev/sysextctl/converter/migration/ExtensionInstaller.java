package dev.sysextctl.converter.migration;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.merger.lock.NodeLock;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Installs a converted set into a root the way Flatcar's documentation and the sysext-bakery do
 * (docs/torcx.md §4.2–4.3): each image at {@code /opt/extensions/NAME/FILE}, the link
 * {@code /etc/extensions/NAME.raw → /opt/extensions/NAME/FILE}, and Flatcar's built-in {@code docker-flatcar}
 * / {@code containerd-flatcar} masked by replacing their {@code /etc/extensions/NAME.raw} link with a link to
 * {@code /dev/null}. An empty directory {@code /etc/extensions/NAME} would not do: next to the existing
 * {@code NAME.raw} link (which lives in Flatcar's {@code /etc} lower layer) whichever readdir returns first
 * would win. Images are copied under a temporary name and renamed; links are replaced atomically. Every
 * precondition is checked before anything is written, all of it under the node lock that serialises the
 * commands changing a node.
 */
public final class ExtensionInstaller {
    public static final String IMAGES_DIR = "/opt/extensions";
    public static final String LINKS_DIR = "/etc/extensions";
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
            return installLocked(node.root(), items);
        }
    }

    private static Installation installLocked(Path root, List<Item> items) throws SysextctlException {
        List<String> notes = new ArrayList<>();
        Path linkDir;
        try {
            linkDir = RootedPaths.resolve(root, LINKS_DIR);
        } catch (IOException e) {
            throw new OperationFailedException("cannot resolve " + LINKS_DIR + " in " + root + ": " + e.getMessage()
                    + "; check the root's /etc");
        }
        for (Item i : items) {
            Path link = linkDir.resolve(i.name() + ".raw");
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
                throw new RefusedException(LINKS_DIR + "/" + i.name() + ".raw in " + root + " is a "
                        + (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS) ? "directory" : "regular file")
                        + ", not a link; nothing was installed: remove it or convert with another --name");
            }
        }
        List<Installation.Enabled> enabled = new ArrayList<>();
        for (Item i : items) {
            String nodeImage = IMAGES_DIR + "/" + i.name() + "/" + i.fileName();
            Path target;
            try {
                target = RootedPaths.resolve(root, IMAGES_DIR + "/" + i.name()).resolve(i.fileName());
            } catch (IOException e) {
                throw new OperationFailedException("cannot resolve " + nodeImage + " in " + root + ": "
                        + e.getMessage() + "; check the root's /opt");
            }
            AtomicFiles.write(target, out -> Files.copy(i.image(), out), true,
                    PosixFilePermissions.fromString("rw-r--r--"));
            AtomicFiles.symlink(linkDir.resolve(i.name() + ".raw"), nodeImage, true);
            enabled.add(new Installation.Enabled(i.name(), nodeImage, LINKS_DIR + "/" + i.name() + ".raw"));
        }
        Set<String> masks = new LinkedHashSet<>();
        for (Item i : items) {
            if (i.provides().contains("docker")) {
                masks.add(DOCKER_BUILTIN);
            }
            if (i.provides().contains("containerd")) {
                masks.add(CONTAINERD_BUILTIN);
            }
        }
        List<Installation.Masked> masked = new ArrayList<>();
        for (String m : masks) {
            Path link = linkDir.resolve(m + ".raw");
            if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
                notes.add(LINKS_DIR + "/" + m + ".raw is a directory; left alone (" + m + " is not masked by it)");
                continue;
            }
            if (Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS)) {
                notes.add(LINKS_DIR + "/" + m + ".raw is a regular file, not Flatcar's link; left alone: mask it "
                        + "yourself if it is a built-in");
                continue;
            }
            AtomicFiles.symlink(link, "/dev/null", true);
            masked.add(new Installation.Masked(m, LINKS_DIR + "/" + m + ".raw"));
        }
        return new Installation(enabled, masked, notes);
    }
}
