package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.TreeDeletion;
import dev.sysextctl.core.tools.FsckErofs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An erofs image read without root and without mounting. The metadata (superblock, inodes, directories,
 * symlink targets, extended attributes) is parsed here from the on-disk format (the kernel's
 * {@code erofs_fs.h}); the content of uncompressed files is read directly, that of compressed files from a
 * one-time {@code fsck.erofs --extract} into a scratch directory that {@link #close()} removes.
 */
public final class ErofsImageFs implements ImageFileSystem {
    static final int SUPER_OFFSET = 1024;
    static final long MAGIC = 0xE0F5E1E2L;
    private static final int LAYOUT_FLAT_PLAIN = 0;
    private static final int LAYOUT_FLAT_INLINE = 2;
    private static final int LAYOUT_CHUNK_BASED = 4;
    private static final int S_IFMT = 0170000;
    private static final String[] XATTR_PREFIXES = {null, "user.", "system.posix_acl_access", "system.posix_acl_default",
        "trusted.", "lustre.", "security."};

    private final Path image;
    private final FsckErofs fsck;
    private Map<String, Inode> inodes;
    private Superblock sb;
    private FileChannel channel;
    private Path extracted;

    /** One inode as read from the image. */
    private record Inode(long nid, EntryType type, int mode, int uid, int gid, long size, int layout, long rawBlock,
            long rdev, long mtime, long offset, int inodeSize, int xattrSize, int nlink) {
        long inlineOffset() {
            return offset + inodeSize + xattrSize;
        }
    }

    private record Superblock(int blockSize, long rootNid, long buildTime, long metaBlock, long xattrBlock) {
    }

    public ErofsImageFs(Path image, FsckErofs fsck) {
        this.image = image;
        this.fsck = fsck;
    }

    private Map<String, Inode> inodes() throws OperationFailedException {
        if (inodes == null) {
            try {
                channel = FileChannel.open(image, StandardOpenOption.READ);
                sb = readSuperblock();
                Map<String, Inode> m = new LinkedHashMap<>();
                Inode root = readInode(sb.rootNid());
                if (root.type() != EntryType.DIRECTORY) {
                    throw new IOException("the root inode is not a directory");
                }
                m.put("", root);
                walkDirectory("", root, m, 0);
                inodes = m;
            } catch (IOException | RuntimeException e) {
                close();
                throw new OperationFailedException(image + " is not a readable erofs image: " + e.getMessage()
                        + "; check it with fsck.erofs");
            }
        }
        return inodes;
    }

    private Superblock readSuperblock() throws IOException {
        ByteBuffer b = read(SUPER_OFFSET, 128);
        if ((b.getInt(0) & 0xffffffffL) != MAGIC) {
            throw new IOException("no erofs magic at offset 1024");
        }
        int blkszbits = b.get(12) & 0xff;
        if (blkszbits < 9 || blkszbits > 16) {
            throw new IOException("unsupported block size 2^" + blkszbits);
        }
        return new Superblock(1 << blkszbits, b.getShort(14) & 0xffff, b.getLong(24), b.getInt(40) & 0xffffffffL,
                b.getInt(44) & 0xffffffffL);
    }

    private Inode readInode(long nid) throws IOException {
        long off = sb.metaBlock() * sb.blockSize() + nid * 32;
        ByteBuffer b = read(off, 64);
        int format = b.getShort(0) & 0xffff;
        boolean extended = (format & 1) != 0;
        int layout = (format >> 1) & 0x7;
        int xattrCount = b.getShort(2) & 0xffff;
        int mode = b.getShort(4) & 0xffff;
        long size;
        int uid;
        int gid;
        long mtime;
        int nlink;
        if (extended) {
            size = b.getLong(8);
            uid = b.getInt(24);
            gid = b.getInt(28);
            mtime = b.getLong(32);
            nlink = b.getInt(44);
        } else {
            nlink = b.getShort(6) & 0xffff;
            size = b.getInt(8) & 0xffffffffL;
            uid = b.getShort(24) & 0xffff;
            gid = b.getShort(26) & 0xffff;
            mtime = sb.buildTime();
        }
        long union = b.getInt(16) & 0xffffffffL;
        EntryType type = switch (mode & S_IFMT) {
            case 0040000 -> EntryType.DIRECTORY;
            case 0120000 -> EntryType.SYMLINK;
            case 0020000 -> EntryType.CHAR_DEVICE;
            case 0060000 -> EntryType.BLOCK_DEVICE;
            case 0010000 -> EntryType.FIFO;
            case 0140000 -> EntryType.SOCKET;
            case 0100000 -> EntryType.FILE;
            default -> throw new IOException("inode " + nid + " has an unknown file type " + Integer.toOctalString(mode));
        };
        int xattrSize = xattrCount == 0 ? 0 : 12 + (xattrCount - 1) * 4;
        return new Inode(nid, type, mode & 07777, uid, gid, size, layout, union, union, mtime, off,
                extended ? 64 : 32, xattrSize, nlink);
    }

    private void walkDirectory(String path, Inode dir, Map<String, Inode> out, int depth) throws IOException {
        if (depth > 4096) {
            throw new IOException("directories nested too deep at " + path);
        }
        byte[] data = plainData(dir);
        List<String> names = new ArrayList<>();
        List<Long> nids = new ArrayList<>();
        int bs = sb.blockSize();
        for (int blockStart = 0; blockStart < data.length; blockStart += bs) {
            int blockLen = Math.min(bs, data.length - blockStart);
            ByteBuffer b = ByteBuffer.wrap(data, blockStart, blockLen).slice().order(ByteOrder.LITTLE_ENDIAN);
            int firstNameOff = b.getShort(8) & 0xffff;
            int count = firstNameOff / 12;
            if (count == 0 || firstNameOff > blockLen) {
                throw new IOException("corrupt directory block in " + (path.isEmpty() ? "/" : path));
            }
            for (int i = 0; i < count; i++) {
                long nid = b.getLong(i * 12);
                int nameOff = b.getShort(i * 12 + 8) & 0xffff;
                int nameEnd = i + 1 < count ? b.getShort((i + 1) * 12 + 8) & 0xffff : blockLen;
                if (nameOff > nameEnd || nameEnd > blockLen) {
                    throw new IOException("corrupt directory entry in " + (path.isEmpty() ? "/" : path));
                }
                int len = 0;
                while (nameOff + len < nameEnd && data[blockStart + nameOff + len] != 0) {
                    len++;
                }
                String name = new String(data, blockStart + nameOff, len, StandardCharsets.UTF_8);
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                names.add(name);
                nids.add(nid);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            String child = path.isEmpty() ? names.get(i) : path + "/" + names.get(i);
            Inode in = readInode(nids.get(i));
            out.put(child, in);
            if (in.type() == EntryType.DIRECTORY) {
                walkDirectory(child, in, out, depth + 1);
            }
        }
    }

    /** The data of an uncompressed inode (flat plain or flat inline); null for other layouts. */
    private byte[] plainData(Inode in) throws IOException {
        if (in.size() > Integer.MAX_VALUE - 16) {
            throw new IOException("inode " + in.nid() + " is too large to read at once");
        }
        int size = (int) in.size();
        int bs = sb.blockSize();
        if (in.layout() == LAYOUT_FLAT_PLAIN) {
            return readBytes(in.rawBlock() * bs, size);
        }
        if (in.layout() == LAYOUT_FLAT_INLINE) {
            int full = size / bs * bs;
            byte[] out = new byte[size];
            if (full > 0) {
                System.arraycopy(readBytes(in.rawBlock() * bs, full), 0, out, 0, full);
            }
            if (size > full) {
                System.arraycopy(readBytes(in.inlineOffset(), size - full), 0, out, full, size - full);
            }
            return out;
        }
        if (in.type() == EntryType.DIRECTORY || in.type() == EntryType.SYMLINK) {
            throw new IOException("inode " + in.nid() + " uses data layout " + in.layout()
                    + ", which sysextctl does not read for directories and symlinks");
        }
        return null;
    }

    private ByteBuffer read(long offset, int length) throws IOException {
        return ByteBuffer.wrap(readBytes(offset, length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] readBytes(long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        long pos = offset;
        while (b.hasRemaining()) {
            int n = channel.read(b, pos);
            if (n < 0) {
                throw new IOException("the image ends at " + pos + ", before the data it refers to");
            }
            pos += n;
        }
        return b.array();
    }

    private TreeEntry entry(String path, Inode in) throws IOException {
        String target = null;
        long size = in.type() == EntryType.FILE ? in.size() : 0;
        if (in.type() == EntryType.SYMLINK) {
            target = new String(plainData(in), StandardCharsets.UTF_8);
            size = target.length();
        }
        int major = 0;
        int minor = 0;
        if (in.type() == EntryType.CHAR_DEVICE || in.type() == EntryType.BLOCK_DEVICE) {
            long dev = in.rdev();
            major = (int) ((dev & 0xfff00) >> 8);
            minor = (int) ((dev & 0xff) | ((dev >> 12) & 0xfff00));
        }
        return new TreeEntry(path, in.type(), in.mode(), in.uid(), in.gid(), size, target, major, minor, in.mtime(),
                null);
    }

    @Override
    public Optional<TreeEntry> lstat(String path) throws OperationFailedException {
        Inode in = inodes().get(path);
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
            for (Map.Entry<String, Inode> e : inodes().entrySet()) {
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
            for (Map.Entry<String, Inode> e : inodes().entrySet()) {
                out.add(entry(e.getKey(), e.getValue()));
            }
        } catch (IOException e) {
            throw unreadable(e);
        }
        return out;
    }

    @Override
    public byte[] read(String path) throws OperationFailedException {
        Inode in = inodes().get(path);
        if (in == null || in.type() != EntryType.FILE) {
            throw new OperationFailedException(path + " is not a file in " + image);
        }
        try {
            byte[] plain = in.layout() == LAYOUT_CHUNK_BASED ? null : plainData(in);
            if (plain != null) {
                return plain;
            }
            return Files.readAllBytes(extracted().resolve(path));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private Path extracted() throws OperationFailedException {
        if (extracted == null) {
            Path scratch;
            try {
                scratch = Files.createTempDirectory("sysextctl-erofs");
            } catch (IOException e) {
                throw new OperationFailedException("cannot create a scratch directory: " + AtomicFiles.describe(e)
                        + "; check that the temporary directory is writable");
            }
            try {
                fsck.extract(image, scratch);
            } catch (OperationFailedException e) {
                TreeDeletion.deleteQuietly(scratch);
                throw e;
            }
            extracted = scratch;
        }
        return extracted;
    }

    @Override
    public Map<String, String> xattrs(String path) throws OperationFailedException {
        Inode in = inodes().get(path);
        if (in == null || in.xattrSize() == 0) {
            return Map.of();
        }
        try {
            Map<String, String> out = new TreeMap<>();
            ByteBuffer body = read(in.offset() + in.inodeSize(), in.xattrSize());
            int shared = body.get(4) & 0xff;
            int pos = 12;
            for (int i = 0; i < shared; i++) {
                long id = body.getInt(pos) & 0xffffffffL;
                pos += 4;
                long at = sb.xattrBlock() * sb.blockSize() + id * 4;
                ByteBuffer head = read(at, 4);
                int total = 4 + (head.get(0) & 0xff) + (head.getShort(2) & 0xffff);
                readXattr(read(at, total), 0, out);
            }
            while (pos + 4 <= in.xattrSize()) {
                int len = readXattr(body, pos, out);
                pos += (len + 3) & ~3;
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new OperationFailedException("cannot read the extended attributes of " + path + " in " + image
                    + ": " + e.getMessage() + "; check the image with fsck.erofs");
        }
    }

    /** Reads one {@code erofs_xattr_entry} at {@code pos}; returns its unpadded length. */
    private static int readXattr(ByteBuffer b, int pos, Map<String, String> out) {
        int nameLen = b.get(pos) & 0xff;
        int index = b.get(pos + 1) & 0xff;
        int valueLen = b.getShort(pos + 2) & 0xffff;
        byte[] name = new byte[nameLen];
        byte[] value = new byte[valueLen];
        b.get(pos + 4, name);
        b.get(pos + 4 + nameLen, value);
        String prefix = index < XATTR_PREFIXES.length && XATTR_PREFIXES[index] != null ? XATTR_PREFIXES[index] : "";
        out.put(prefix + new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
        return 4 + nameLen + valueLen;
    }

    private OperationFailedException unreadable(IOException e) {
        return new OperationFailedException("cannot read " + image + ": " + e.getMessage()
                + "; check the image with fsck.erofs");
    }

    private static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing to flush
            }
            channel = null;
        }
        if (extracted != null) {
            TreeDeletion.deleteQuietly(extracted);
            extracted = null;
        }
    }
}
