package dev.sysextctl.merger.config;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.Planner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mask}/{@code unmask}: the mask systemd honours is an empty directory {@code /etc/extensions/NAME} (found
 * first, it carries no extension-release, so nothing named NAME is merged; a {@code /dev/null} link does not mask,
 * docs/compatibility.md §1.4). The directory sysextctl creates carries the xattr {@code user.sysextctl.mask}; unmask removes only such
 * a directory.
 */
public final class Masks {
    public static final String XATTR = "sysextctl.mask";

    private Masks() {
    }

    public static ConfigChange mask(Node node, String name) throws OperationFailedException, RefusedException,
            UsageException {
        checkName(name);
        Path dir = ExtensionDirs.ensure(node, ExtensionDirs.ETC);
        Path mask = dir.resolve(name);
        String onNode = ExtensionDirs.ETC + "/" + name;
        List<String> notes = new ArrayList<>();
        for (String other : ExtensionDirs.entryNames(node, name)) {
            Path p = dir.resolve(other);
            if (other.equals(name) || !ExtensionDirs.exists(p)) {
                continue;
            }
            if (isDevNullLink(p)) {
                notes.add(ExtensionDirs.ETC + "/" + other + " -> /dev/null is left as it is");
                continue;
            }
            throw new RefusedException(ExtensionDirs.ETC + "/" + other + " provides '" + name + "' in the same "
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
        return new ConfigChange(ConfigAction.MASK, name, true, List.of(onNode), List.of(), null, null, notes);
    }

    public static ConfigChange unmask(Node node, String name) throws OperationFailedException, RefusedException,
            UsageException {
        checkName(name);
        Path mask = node.resolve(ExtensionDirs.ETC + "/" + name);
        String onNode = ExtensionDirs.ETC + "/" + name;
        List<String> notes = new ArrayList<>();
        Path devNull = node.resolve(ExtensionDirs.ETC).resolve(name + ImageNames.RAW_SUFFIX);
        if (isDevNullLink(devNull)) {
            notes.add(ExtensionDirs.ETC + "/" + name + ".raw -> /dev/null was not made by mask and is left as it is");
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
            return Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().equals("/dev/null");
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
