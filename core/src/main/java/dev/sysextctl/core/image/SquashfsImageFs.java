package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.TreeDeletion;
import dev.sysextctl.core.image.squashfs.DirEntry;
import dev.sysextctl.core.image.squashfs.Inode;
import dev.sysextctl.core.image.squashfs.SquashfsImage;
import dev.sysextctl.core.image.squashfs.UnsupportedSquashfsException;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A squashfs image read without root and without mounting. {@link SquashfsImage} reads it in Java (only the
 * blocks a question needs, no process); an image it does not read (lzo, or one it finds corrupt) is read through
 * unsquashfs instead: one listing, file contents extracted on demand. Entries look the same either way: hard links
 * are plain files, directories have size 0, a symlink's size is its target's length, no xattrs in the entries;
 * {@link #xattrs} gives the {@code user.*} attributes (what an unprivileged reader of the mounted image sees) and
 * overlayfs' opaque marker {@code trusted.overlay.opaque}, which systemd-sysext's overlay honours (the Java reader
 * only: unsquashfs's extraction is read back through {@link DirectoryImageFs#userXattrs}, {@code user.*} alone).
 */
public final class SquashfsImageFs implements ImageFileSystem {
    private final Path image;
    private final Unsquashfs unsquashfs;
    private SquashfsImage reader;
    private OperationFailedException readerFailure;
    private Map<String, TreeEntry> entries;
    private final Map<String, Optional<Inode>> inodes = new HashMap<>();
    /** The overlayfs marker of an opaque directory, the one {@code trusted.*} attribute reported. */
    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final Comparator<TreeEntry> BY_NAME = new ByName();

    /** Entries by name (a class, not a method reference: no call site to link when a command starts). */
    private static final class ByName implements Comparator<TreeEntry> {
        @Override
        public int compare(TreeEntry a, TreeEntry b) {
            return a.name().compareTo(b.name());
        }
    }

    /** Reads {@code image} in Java, falling back to {@code unsquashfs} for what that cannot read. */
    public SquashfsImageFs(Path image, Unsquashfs unsquashfs) {
        this.image = image;
        this.unsquashfs = unsquashfs;
    }

    /** Reads {@code image} in Java only: one it cannot read fails ({@link UnsupportedSquashfsException} for lzo). */
    public static SquashfsImageFs withoutFallback(Path image) {
        return new SquashfsImageFs(image, null);
    }

    /** Reads an already opened image in Java only (closing this closes it). */
    public static SquashfsImageFs of(SquashfsImage opened) {
        SquashfsImageFs fs = new SquashfsImageFs(opened.path(), null);
        fs.reader = opened;
        return fs;
    }

    /** Why unsquashfs reads this image instead of the Java reader (empty while the Java reader does). */
    public Optional<String> fallbackReason() {
        return Optional.ofNullable(readerFailure).map(OperationFailedException::getMessage);
    }

    /**
     * The Java reader, opened on first use; null once unsquashfs has taken over (then {@link #failed} says why).
     * Each operation below tries it first and falls back through {@link #giveUp} (no lambdas: their first use is
     * what a short command pays for).
     */
    private SquashfsImage javaReader() throws OperationFailedException {
        if (readerFailure != null) {
            return null;
        }
        if (reader == null) {
            try {
                reader = SquashfsImage.open(image);
            } catch (OperationFailedException e) {
                giveUp(e);
            }
        }
        return reader;
    }

    /** What to throw when unsquashfs failed too: the Java reader's diagnosis, unless it only lacked a decoder. */
    private OperationFailedException failed(OperationFailedException viaTool) {
        if (readerFailure instanceof UnsupportedSquashfsException) {
            return new OperationFailedException(viaTool.getMessage() + " (" + readerFailure.getMessage() + ")",
                    viaTool);
        }
        return readerFailure;
    }

    /** From now on unsquashfs reads the image. */
    private void giveUp(OperationFailedException why) throws OperationFailedException {
        if (unsquashfs == null) {
            throw why;
        }
        readerFailure = why;
        if (reader != null) {
            reader.close();
            reader = null;
        }
        inodes.clear();
    }

    private Map<String, TreeEntry> toolEntries() throws OperationFailedException {
        if (entries == null) {
            Map<String, TreeEntry> m = new LinkedHashMap<>();
            for (TreeEntry e : unsquashfs.list(image)) {
                m.put(e.path(), e);
            }
            entries = m;
        }
        return entries;
    }

    @Override
    public Optional<TreeEntry> lstat(String path) throws OperationFailedException {
        SquashfsImage r = javaReader();
        if (r != null) {
            try {
                Optional<Inode> in = inode(r, path);
                return in.isEmpty() ? Optional.empty() : Optional.of(entry(r, path, in.get()));
            } catch (OperationFailedException e) {
                giveUp(e);
            }
        }
        try {
            return Optional.ofNullable(toolEntries().get(path));
        } catch (OperationFailedException e) {
            throw failed(e);
        }
    }

    @Override
    public List<TreeEntry> list(String path) throws OperationFailedException {
        List<TreeEntry> out = new ArrayList<>();
        SquashfsImage r = javaReader();
        if (r != null) {
            try {
                Optional<Inode> dir = inode(r, path);
                if (dir.isEmpty() || !dir.get().isDirectory()) {
                    return out;
                }
                for (DirEntry d : r.list(dir.get())) {
                    String child = path.isEmpty() ? d.name() : path + "/" + d.name();
                    Inode in = r.inode(d.inodeRef());
                    inodes.put(child, Optional.of(in));
                    out.add(entry(r, child, in));
                }
                out.sort(BY_NAME);
                return out;
            } catch (OperationFailedException e) {
                giveUp(e);
                out.clear();
            }
        }
        try {
            for (TreeEntry e : toolEntries().values()) {
                if (path.equals(e.parent())) {
                    out.add(e);
                }
            }
        } catch (OperationFailedException e) {
            throw failed(e);
        }
        out.sort(BY_NAME);
        return out;
    }

    @Override
    public List<TreeEntry> walk() throws OperationFailedException {
        SquashfsImage r = javaReader();
        if (r != null) {
            try {
                List<TreeEntry> out = new ArrayList<>();
                r.walk((p, in) -> {
                    out.add(entry(r, p, in));
                    return true;
                });
                return out;
            } catch (OperationFailedException e) {
                giveUp(e);
            }
        }
        try {
            return List.copyOf(toolEntries().values());
        } catch (OperationFailedException e) {
            throw failed(e);
        }
    }

    @Override
    public byte[] read(String path) throws OperationFailedException {
        requireFile(path);
        SquashfsImage r = javaReader();
        if (r != null) {
            try {
                return r.read(inode(r, path).orElseThrow());
            } catch (OperationFailedException ex) {
                giveUp(ex);
            }
        }
        try {
            return unsquashfs.cat(image, path);
        } catch (OperationFailedException ex) {
            throw failed(ex);
        }
    }

    private void requireFile(String path) throws OperationFailedException {
        Optional<TreeEntry> e = lstat(path);
        if (e.isEmpty()) {
            throw new OperationFailedException(path + " does not exist in " + image);
        }
        if (e.get().type() != EntryType.FILE) {
            throw new OperationFailedException(path + " is not a regular file in " + image);
        }
    }

    /** Streamed block by block by the Java reader; unsquashfs (an image it cannot read) gives the file whole. */
    @Override
    public InputStream open(String path) throws OperationFailedException {
        requireFile(path);
        SquashfsImage r = javaReader();
        if (r != null) {
            try {
                return r.stream(inode(r, path).orElseThrow());
            } catch (OperationFailedException ex) {
                giveUp(ex);
            }
        }
        return new java.io.ByteArrayInputStream(read(path));
    }

    @Override
    public Map<String, String> xattrs(String path) throws OperationFailedException {
        SquashfsImage r = javaReader();
        if (r != null) {
            try {
                Optional<Inode> in = inode(r, path);
                Map<String, String> out = new TreeMap<>();
                if (in.isPresent()) {
                    for (Map.Entry<String, byte[]> x : r.xattrs(in.get()).entrySet()) {
                        if (x.getKey().startsWith("user.") || x.getKey().equals(OPAQUE_XATTR)) {
                            out.put(x.getKey(), new String(x.getValue(), StandardCharsets.UTF_8));
                        }
                    }
                }
                return out;
            } catch (OperationFailedException e) {
                giveUp(e);
            }
        }
        try {
            return toolXattrs(path);
        } catch (OperationFailedException e) {
            throw failed(e);
        }
    }

    private Map<String, String> toolXattrs(String path) throws OperationFailedException {
        Optional<TreeEntry> e = lstat(path);
        if (e.isEmpty() || e.get().type() == EntryType.SYMLINK || path.isEmpty()) {
            return Map.of();
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("sysextctl-xattr");
            Path dest = scratch.resolve("x");
            unsquashfs.extract(image, dest, List.of(path));
            return DirectoryImageFs.userXattrs(dest.resolve(path));
        } catch (IOException ex) {
            throw new OperationFailedException("cannot create a scratch directory: " + ex.getMessage()
                    + "; check that the temporary directory is writable");
        } finally {
            TreeDeletion.deleteQuietly(scratch);
        }
    }

    /** The inode at {@code path} (symlinks not followed), looked up component by component and cached. */
    private Optional<Inode> inode(SquashfsImage r, String path) throws OperationFailedException {
        Optional<Inode> known = inodes.get(path);
        if (known != null) {
            return known;
        }
        Optional<Inode> found;
        if (path.isEmpty()) {
            found = Optional.of(r.root());
        } else {
            int slash = path.lastIndexOf('/');
            Optional<Inode> parent = inode(r, slash < 0 ? "" : path.substring(0, slash));
            String name = path.substring(slash + 1);
            if (parent.isEmpty() || !parent.get().isDirectory() || name.isEmpty() || name.equals(".")
                    || name.equals("..")) {
                found = Optional.empty();
            } else {
                Optional<DirEntry> d = r.find(parent.get(), name);
                found = d.isEmpty() ? Optional.empty() : Optional.of(r.inode(d.get().inodeRef()));
            }
        }
        inodes.put(path, found);
        return found;
    }

    /** The entry as unsquashfs would list it. */
    private static TreeEntry entry(SquashfsImage r, String path, Inode in) {
        String target = null;
        long size = 0;
        int major = 0;
        int minor = 0;
        switch (in.type()) {
            case FILE -> size = in.size();
            case SYMLINK -> {
                target = r.symlinkTarget(in);
                size = in.size();
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                Inode.DeviceLayout d = (Inode.DeviceLayout) in.layout();
                major = d.major();
                minor = d.minor();
            }
            default -> {
                // directories, FIFOs and sockets have no size
            }
        }
        return new TreeEntry(path, in.type(), in.mode(), in.uid(), in.gid(), size, target, major, minor, in.mtime(),
                null);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
