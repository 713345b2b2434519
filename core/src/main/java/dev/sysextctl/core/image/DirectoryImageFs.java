package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.release.ReleaseFiles;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A directory tree seen as an image (directory extensions, staged trees). */
public final class DirectoryImageFs implements ImageFileSystem {
    private static final int S_IFMT = 0170000;
    private final Path root;
    /** What {@link #lstat} and {@link #list} saw, by path; null: every call asks the kernel again. */
    private final Map<String, Optional<TreeEntry>> seen;

    public DirectoryImageFs(Path root) {
        this(root, false);
    }

    private DirectoryImageFs(Path root, boolean remember) {
        this.root = root.toAbsolutePath().normalize();
        this.seen = remember ? new HashMap<>() : null;
    }

    /**
     * The tree of an image sysextctl mounted read-only itself, for one reading of it: each entry is asked for once, and
     * what was seen is the answer from then on (for a directory image bound read-only, one look at each entry, as
     * systemd's single pass over the mounted tree). Reading an image's metadata resolves a handful of paths component
     * by component, each from the image's root, through {@code /proc/PID/root}: reading each image of a merge made 32
     * {@code statx} calls before, 12 now.
     */
    public static DirectoryImageFs readOnlyMount(Path root) {
        return new DirectoryImageFs(root, true);
    }

    public Path root() {
        return root;
    }

    private Path at(String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    @Override
    public Optional<TreeEntry> lstat(String path) throws OperationFailedException {
        if (seen != null) {
            Optional<TreeEntry> known = seen.get(path);
            if (known != null) {
                return known;
            }
        }
        Path p = at(path);
        Optional<TreeEntry> out;
        try {
            out = Optional.of(entry(path, p));
        } catch (NoSuchFileException e) {
            out = Optional.empty();
        } catch (IOException e) {
            // what cannot be looked at (ENOTDIR, EACCES on the way) is not there, as for Files.exists; what can be
            // but not read is an error
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new OperationFailedException("cannot read " + p + ": " + AtomicFiles.describe(e)
                        + "; check the permissions");
            }
            out = Optional.empty();
        }
        if (seen != null) {
            seen.put(path, out);
        }
        return out;
    }

    /** The entry for the file at {@code p}, named {@code path} inside the image. */
    public static TreeEntry entry(String path, Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        EntryType type = switch (mode & S_IFMT) {
            case 0040000 -> EntryType.DIRECTORY;
            case 0120000 -> EntryType.SYMLINK;
            case 0020000 -> EntryType.CHAR_DEVICE;
            case 0060000 -> EntryType.BLOCK_DEVICE;
            case 0010000 -> EntryType.FIFO;
            case 0140000 -> EntryType.SOCKET;
            default -> EntryType.FILE;
        };
        long rdev = (Long) a.get("rdev");
        String target = type == EntryType.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        long size = type == EntryType.FILE ? (Long) a.get("size") : type == EntryType.SYMLINK ? target.length() : 0;
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new TreeEntry(path, type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"), size, target,
                type.isSpecial() ? major : 0, type.isSpecial() ? minor : 0,
                ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000, null);
    }

    @Override
    public List<TreeEntry> list(String path) throws OperationFailedException {
        Path dir = at(path);
        Optional<TreeEntry> known = seen == null ? null : seen.get(path);
        boolean directory = known != null ? known.filter(e -> e.type() == EntryType.DIRECTORY).isPresent()
                : Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS);
        if (!directory) {
            return List.of();
        }
        List<TreeEntry> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path child : (Iterable<Path>) s.sorted(Comparator.comparing(c -> c.getFileName().toString()))::iterator) {
                String name = child.getFileName().toString();
                TreeEntry e = entry(path.isEmpty() ? name : path + "/" + name, child);
                out.add(e);
                if (seen != null) {
                    seen.put(e.path(), Optional.of(e));
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot list " + dir + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        return out;
    }

    @Override
    public List<TreeEntry> walk() throws OperationFailedException {
        List<TreeEntry> out = new ArrayList<>();
        lstat("").ifPresent(out::add);
        walkInto("", out);
        return out;
    }

    private void walkInto(String path, List<TreeEntry> out) throws OperationFailedException {
        for (TreeEntry e : list(path)) {
            out.add(e);
            if (e.type() == EntryType.DIRECTORY) {
                walkInto(e.path(), out);
            }
        }
    }

    @Override
    public byte[] read(String path) throws OperationFailedException {
        try {
            return Files.readAllBytes(at(path));
        } catch (NoSuchFileException e) {
            throw new OperationFailedException(path + " does not exist in " + root);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + at(path) + ": " + AtomicFiles.describe(e));
        }
    }

    /** The file itself, not a link's target (a link in its place is refused), read as the caller reads. */
    @Override
    public InputStream open(String path) throws OperationFailedException {
        try {
            return Files.newInputStream(at(path), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new OperationFailedException(path + " does not exist in " + root);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + at(path) + ": " + AtomicFiles.describe(e));
        }
    }

    /** Reads at most {@code max + 1} bytes whatever the file's size says (it may grow while it is read). */
    @Override
    public byte[] read(String path, int max) throws OperationFailedException {
        try {
            return ReleaseFiles.readCapped(at(path), path, max);
        } catch (NoSuchFileException e) {
            throw new OperationFailedException(path + " does not exist in " + root);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + at(path) + ": " + AtomicFiles.describe(e));
        }
    }

    @Override
    public Map<String, String> xattrs(String path) throws OperationFailedException {
        return userXattrs(at(path));
    }

    /** The {@code user.*} extended attributes of a file (what an unprivileged reader can see). */
    public static Map<String, String> userXattrs(Path p) {
        if (Files.isSymbolicLink(p)) {
            return new TreeMap<>();
        }
        return userXattrsOf(p);
    }

    /**
     * {@link #userXattrs(Path)} of a regular file or directory that the caller has just seen as one ({@code lstat}):
     * without asking again whether it is a link (the attribute view follows links).
     */
    public static Map<String, String> userXattrsOf(Path p) {
        Map<String, String> out = new TreeMap<>();
        try {
            UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
            if (v == null) {
                return out;
            }
            for (String name : v.list()) {
                ByteBuffer b = ByteBuffer.allocate(v.size(name));
                v.read(name, b);
                b.flip();
                out.put("user." + name, StandardCharsets.UTF_8.decode(b).toString());
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no xattr support on this file system: nothing to report
        }
        return out;
    }
}
