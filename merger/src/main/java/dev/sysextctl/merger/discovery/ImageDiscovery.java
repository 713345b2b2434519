package dev.sysextctl.merger.discovery;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * systemd's {@code image_discover()} (docs/compatibility.md §1.2): the search directories in priority order, each
 * read in raw readdir order; regular files named {@code *.raw}, directories and block devices are images;
 * the name comes from the directory entry; invalid names are skipped; the first entry of a name wins.
 * Symlinks are chased inside the root (or skipped, as systemd 252 does under {@code --root}). The directories and
 * the suffixes stripped are those of the node's class ({@code ExtensionClass}: {@code /run/confexts}, … for confexts).
 */
public final class ImageDiscovery {
    static final int S_IFMT = 0170000;
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    static final int S_IFBLK = 0060000;
    static final int S_IFCHR = 0020000;
    static final int S_IFLNK = 0120000;
    static final int S_IFIFO = 0010000;

    private ImageDiscovery() {
    }

    public static Discovery discover(Node node, SymlinkPolicy policy) throws OperationFailedException {
        List<String> dirs = node.extensionClass().searchDirs(node.systemdVersion());
        List<ImageEntry> images = new ArrayList<>();
        List<IgnoredEntry> ignored = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String dir : dirs) {
            Path resolved = node.resolve(dir);
            if (!Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(resolved)) {
                for (Path entry : entries) {
                    scan(node, policy, dir, entry, images, ignored, seen);
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                // vanished or not a directory: next search dir
            } catch (IOException e) {
                throw new OperationFailedException("cannot read " + node.onNode(resolved) + ": "
                        + AtomicFiles.describe(e) + "; check its permissions");
            }
        }
        return new Discovery(dirs, images, ignored);
    }

    private static void scan(Node node, SymlinkPolicy policy, String dir, Path entry, List<ImageEntry> images,
            List<IgnoredEntry> ignored, Set<String> seen) throws OperationFailedException {
        String file = entry.getFileName().toString();
        String path = dir + "/" + file;
        int mode;
        Path source = entry;
        String linkTarget = null;
        try {
            mode = mode(entry);
            if ((mode & S_IFMT) == S_IFLNK) {
                linkTarget = Files.readSymbolicLink(entry).toString();
                if (policy == SymlinkPolicy.SKIP) {
                    ignored.add(new IgnoredEntry(path, dir, "a symlink (to " + linkTarget + "): systemd "
                            + node.systemdVersion() + " skips symlinks in search directories under --root"));
                    return;
                }
                if (ExtensionConfig.isDisableTarget(linkTarget)) {
                    String name = file.endsWith(ImageNames.RAW_SUFFIX)
                            ? file.substring(0, file.length() - ImageNames.RAW_SUFFIX.length()) : file;
                    ignored.add(new IgnoredEntry(path, dir, ExtensionConfig.describeDisableLink(dir, name)));
                    return;
                }
                Optional<Path> chased = chase(node, path);
                if (chased.isEmpty()) {
                    ignored.add(new IgnoredEntry(path, dir, "a dangling link (to " + linkTarget
                            + ", resolved inside the root)"));
                    return;
                }
                source = chased.get();
                mode = mode(source);
            }
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            ignored.add(new IgnoredEntry(path, dir, "cannot be read: " + AtomicFiles.describe(e)));
            return;
        }
        ImageType type;
        switch (mode & S_IFMT) {
            case S_IFREG -> type = ImageType.RAW;
            case S_IFDIR -> type = ImageType.DIRECTORY;
            case S_IFBLK -> type = ImageType.BLOCK;
            default -> {
                ignored.add(new IgnoredEntry(path, dir, (linkTarget != null ? "a link to " : "") + kind(mode)
                        + ": not an image"));
                return;
            }
        }
        Optional<String> name = node.extensionClass().imageName(file, type, node.systemdVersion());
        if (name.isEmpty()) {
            String why = type == ImageType.RAW && !file.endsWith(ImageNames.RAW_SUFFIX)
                    ? "a regular file not named *.raw (systemd only takes *.raw files)"
                    : "'" + file + "' is not a valid image name: "
                            + ImageNames.invalidReason(type == ImageType.RAW
                                    ? file.substring(0, file.length() - ImageNames.RAW_SUFFIX.length()) : file)
                                    .orElse("invalid");
            ignored.add(new IgnoredEntry(path, dir, why));
            return;
        }
        images.add(new ImageEntry(name.get(), type, path, dir, linkTarget, source, images.size()));
        seen.add(name.get());
    }

    private static Optional<Path> chase(Node node, String path) {
        try {
            Path p = RootedPaths.resolve(node.root(), path);
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The file type bits of {@code p} (not following a symlink): one {@code stat} through the basic attributes,
     * and {@code unix:mode} (a costlier lookup) only for the devices, FIFOs and sockets that need telling apart.
     */
    static int mode(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isRegularFile()) {
            return S_IFREG;
        }
        if (a.isDirectory()) {
            return S_IFDIR;
        }
        if (a.isSymbolicLink()) {
            return S_IFLNK;
        }
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }

    static String kind(int mode) {
        return switch (mode & S_IFMT) {
            case S_IFCHR -> "a character device";
            case S_IFIFO -> "a FIFO";
            case S_IFLNK -> "a symlink";
            case 0140000 -> "a socket";
            default -> "an unknown file type";
        };
    }
}
