package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.erofs.ErofsFormatException;
import dev.sysextctl.core.image.erofs.ErofsImage;
import dev.sysextctl.core.image.erofs.ErofsInode;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An erofs image read without root, without mounting and without any native tool: {@link ErofsImage} parses it
 * all in Java (metadata, uncompressed, chunk-based and lz4-compressed data), so an untrusted image's names never
 * reach a file system. A malformed or crafted image fails with one line naming the defect.
 */
public final class ErofsImageFs implements ImageFileSystem {
    private final Path image;
    private final long offset;
    private final long length;
    private ErofsImage reader;
    private Map<String, ErofsInode> inodes;

    public ErofsImageFs(Path image) {
        this(image, 0, -1);
    }

    /** The erofs image in {@code length} bytes at {@code offset} of {@code image} (a partition of a DDI). */
    public ErofsImageFs(Path image, long offset, long length) {
        this.image = image;
        this.offset = offset;
        this.length = length;
    }

    private Map<String, ErofsInode> inodes() throws OperationFailedException {
        if (inodes == null) {
            try {
                reader = ErofsImage.open(image, offset, length);
                Map<String, ErofsInode> m = new LinkedHashMap<>();
                for (ErofsImage.Entry e : reader.walk()) {
                    m.put(e.path(), e.inode());
                }
                inodes = m;
            } catch (ErofsFormatException e) {
                close();
                throw new OperationFailedException(image + " is not a readable erofs image: " + e.getMessage()
                        + "; check it with fsck.erofs or rebuild it");
            } catch (IOException e) {
                close();
                throw new OperationFailedException("cannot read " + image + ": " + AtomicFiles.describe(e)
                        + "; check that it exists and is readable");
            }
        }
        return inodes;
    }

    private TreeEntry entry(String path, ErofsInode in) throws IOException {
        String target = null;
        long size = in.type() == EntryType.FILE ? in.size() : 0;
        if (in.type() == EntryType.SYMLINK) {
            target = reader.symlinkTarget(in);
            size = target.length();
        }
        int major = 0;
        int minor = 0;
        if (in.type() == EntryType.CHAR_DEVICE || in.type() == EntryType.BLOCK_DEVICE) {
            major = in.devMajor();
            minor = in.devMinor();
        }
        return new TreeEntry(path, in.type(), in.mode(), in.uid(), in.gid(), size, target, major, minor, in.mtime(),
                null);
    }

    @Override
    public Optional<TreeEntry> lstat(String path) throws OperationFailedException {
        ErofsInode in = inodes().get(path);
        if (in == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(entry(path, in));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public List<TreeEntry> list(String path) throws OperationFailedException {
        List<TreeEntry> out = new ArrayList<>();
        try {
            for (Map.Entry<String, ErofsInode> e : inodes().entrySet()) {
                String p = e.getKey();
                if (!p.isEmpty() && path.equals(parentOf(p))) {
                    out.add(entry(p, e.getValue()));
                }
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        out.sort(Comparator.comparing(TreeEntry::name));
        return out;
    }

    @Override
    public List<TreeEntry> walk() throws OperationFailedException {
        List<TreeEntry> out = new ArrayList<>();
        try {
            for (Map.Entry<String, ErofsInode> e : inodes().entrySet()) {
                out.add(entry(e.getKey(), e.getValue()));
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        return out;
    }

    @Override
    public byte[] read(String path) throws OperationFailedException {
        ErofsInode in = inodes().get(path);
        if (in == null || in.type() != EntryType.FILE) {
            throw new OperationFailedException(path + " is not a file in " + image);
        }
        try {
            return reader.read(in);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    @Override
    public Map<String, String> xattrs(String path) throws OperationFailedException {
        ErofsInode in = inodes().get(path);
        if (in == null) {
            return Map.of();
        }
        try {
            return reader.xattrs(in);
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private OperationFailedException unreadable(IOException e) {
        if (e instanceof ErofsFormatException) {
            return new OperationFailedException(image + " is not a readable erofs image: " + e.getMessage()
                    + "; check it with fsck.erofs or rebuild it");
        }
        return new OperationFailedException("cannot read " + image + ": " + AtomicFiles.describe(e)
                + "; check that it is readable");
    }

    private static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    @Override
    public void close() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // read-only file: nothing to flush
            }
            reader = null;
        }
    }
}
