package dev.sysextctl.merger.config;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.Planner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mask}/{@code unmask}: the mask systemd honours is an empty directory {@code /etc/extensions/NAME} (for
 * confexts {@code /var/lib/confexts/NAME}, {@link ExtensionConfig#configDirectory}; found
 * first, it carries no extension-release, so nothing named NAME is merged; a {@code /dev/null} link does not mask,
 * docs/compatibility.md §1.4). The directory sysextctl creates carries the xattr {@code user.sysextctl.mask}; unmask
 * removes only such a directory. {@link #disable} writes the other form, {@link ExtensionConfig.Entry#DISABLE_LINK}:
 * a {@code /dev/null} link over the link that enabled a built-in image.
 */
public final class Masks {
    public static final String XATTR = "sysextctl.mask";

    private Masks() {
    }

    public static ConfigChange mask(Node node, String name) throws OperationFailedException, RefusedException,
            UsageException {
        checkName(name);
        String config = ExtensionDirs.config(node);
        Path dir = ExtensionDirs.ensure(node, config);
        Path mask = dir.resolve(name);
        String onNode = config + "/" + name;
        List<String> notes = new ArrayList<>();
        for (String other : ExtensionDirs.entryNames(node, name)) {
            Path p = dir.resolve(other);
            if (other.equals(name) || !ExtensionDirs.exists(p)) {
                continue;
            }
            if (isDevNullLink(p)) {
                notes.add(config + "/" + other + " -> /dev/null is left as it is");
                continue;
            }
            throw new RefusedException(config + "/" + other + " provides '" + name + "' in the same "
                    + "directory as the mask, and whichever systemd reads first wins; run 'sysextctl disable " + name
                    + "' (or move it away) first");
        }
        if (ExtensionDirs.exists(mask)) {
            if (Planner.isEmptyDirectory(mask) && !Files.isSymbolicLink(mask)) {
                notes.add(isOurs(mask) ? "already masked" : "already masked by an empty directory sysextctl did not "
                        + "create (unmask will not remove it)");
                return new ConfigChange(ConfigAction.MASK, name, false, List.of(), List.of(), null, null, notes);
            }
            throw new RefusedException(onNode + " already exists and is not an empty directory (it provides '" + name
                    + "' itself); disable or move it first");
        }
        Path tmp = AtomicFiles.temporarySibling(mask);
        AtomicFiles.removeStaleSiblings(mask.getParent());
        try {
            Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            if (!mark(tmp)) {
                notes.add("the file system does not keep user xattrs, so the mask is not marked as sysextctl's: "
                        + "unmask will refuse to remove it (rmdir " + onNode + " by hand)");
            }
            Files.move(tmp, mask, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw new OperationFailedException("cannot create " + onNode + ": " + AtomicFiles.describe(e)
                    + "; run as root or check that the root is writable");
        }
        ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winner(name)
                .filter(w -> !w.path().equals(onNode))
                .ifPresent(w -> notes.add(w.path() + " is read before " + onNode + " and still provides '" + name
                        + "' (until the next boot for " + ExtensionDirs.runtime(node) + "); disable it with --runtime"));
        return new ConfigChange(ConfigAction.MASK, name, true, List.of(onNode), List.of(), null, null, notes);
    }

    /**
     * What {@link #disable} did: the {@code /dev/null} link written (node path), or null when the entry was left
     * alone, with the reason in {@code note}.
     */
    public record Disabled(String name, String link, String note) {
    }

    /**
     * Disables the image that {@code /etc/extensions/NAME.raw} enables by replacing that link (or nothing) with a link
     * to {@code /dev/null}, the way Flatcar turns off its built-in images (their links come from {@code /etc}'s lower
     * layer and their files lie outside the search directories). An image named NAME in another search directory
     * would still merge. A real directory or regular file there is not a link and is left alone.
     */
    public static Disabled disable(Node node, String name) throws OperationFailedException, UsageException {
        checkName(name);
        String onNode = ExtensionConfig.Entry.DISABLE_LINK.path(name);
        Path link = ExtensionDirs.ensure(node, ExtensionDirs.ETC).resolve(name + ImageNames.RAW_SUFFIX);
        if (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS)) {
            return new Disabled(name, null, onNode + " is a directory; left alone (" + name + " is not masked by it)");
        }
        if (Files.isRegularFile(link, LinkOption.NOFOLLOW_LINKS)) {
            return new Disabled(name, null, onNode + " is a regular file, not Flatcar's link; left alone: mask it "
                    + "yourself if it is a built-in");
        }
        AtomicFiles.symlink(link, ExtensionConfig.DEV_NULL, true);
        return new Disabled(name, onNode, null);
    }

    public static ConfigChange unmask(Node node, String name) throws OperationFailedException, RefusedException,
            UsageException {
        checkName(name);
        String config = ExtensionDirs.config(node);
        Path mask = node.resolve(config + "/" + name);
        String onNode = config + "/" + name;
        List<String> notes = new ArrayList<>();
        Path devNull = node.resolve(config).resolve(name + ImageNames.RAW_SUFFIX);
        if (isDevNullLink(devNull)) {
            notes.add(config + "/" + name + ".raw -> /dev/null was not made by mask and is left as it is");
        }
        if (!ExtensionDirs.exists(mask)) {
            notes.add("'" + name + "' is not masked");
            return new ConfigChange(ConfigAction.UNMASK, name, false, List.of(), List.of(), null, null, notes);
        }
        if (Files.isSymbolicLink(mask) || !Planner.isEmptyDirectory(mask)) {
            throw new RefusedException(onNode + " is not a mask (it is " + (Files.isSymbolicLink(mask) ? "a link"
                    : Files.isDirectory(mask) ? "a directory with content" : "a file") + "); sysextctl removes only "
                    + "the empty directories mask created");
        }
        if (!isOurs(mask)) {
            throw new RefusedException(onNode + " masks '" + name + "' but was not created by sysextctl mask; remove it "
                    + "yourself (rmdir " + onNode + ") if you mean to");
        }
        try {
            Files.delete(mask);
        } catch (IOException e) {
            throw new OperationFailedException("cannot remove " + onNode + ": " + AtomicFiles.describe(e));
        }
        return new ConfigChange(ConfigAction.UNMASK, name, true, List.of(), List.of(onNode), null, null, notes);
    }

    static void checkName(String name) throws UsageException {
        if (!ImageNames.isValid(name)) {
            throw new UsageException("'" + name + "' is not a valid extension name: "
                    + ImageNames.invalidReason(name).orElse("") + "; give the name without .raw");
        }
        if (name.endsWith(ImageNames.RAW_SUFFIX)) {
            throw new UsageException("give the extension name without .raw ('"
                    + name.substring(0, name.length() - 4) + "')");
        }
    }

    static boolean isDevNullLink(Path p) {
        try {
            return Files.isSymbolicLink(p) && ExtensionConfig.isDisableTarget(Files.readSymbolicLink(p).toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code dir} carries sysextctl's mask xattr. */
    public static boolean isOurs(Path dir) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
            return v != null && v.list().contains(XATTR);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean mark(Path dir) {
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
            if (v == null) {
                return false;
            }
            v.write(XATTR, ByteBuffer.wrap("1".getBytes(StandardCharsets.UTF_8)));
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
