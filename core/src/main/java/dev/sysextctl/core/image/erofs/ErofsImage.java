package dev.sysextctl.core.image.erofs;

import dev.sysextctl.core.tree.EntryType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * An erofs image parsed in Java from its on-disk format (the kernel's {@code erofs_fs.h}), metadata and data,
 * uncompressed, chunk-based and lz4/lz4hc-compressed files alike: no native tool ever sees its names. Built for
 * untrusted images: every offset, length and count read from the image is checked against what the image can hold
 * before it is used or allocated, directories are walked without recursion and each at most once (a cycle or a
 * hard-linked directory is refused), names are checked before they become paths, and every defect is an
 * {@link ErofsFormatException} with a one-line message (no other exception, however the bytes are mangled).
 */
public final class ErofsImage implements AutoCloseable {
    static final int SUPER_OFFSET = 1024;
    static final long MAGIC = 0xE0F5E1E2L;
    static final int COMPAT_SB_CHKSUM = 0x1;
    static final int INCOMPAT_LZ4_0PADDING = 0x1;
    static final int INCOMPAT_BIG_PCLUSTER = 0x2;
    static final int INCOMPAT_CHUNKED_FILE = 0x4;
    static final int INCOMPAT_DEVICE_TABLE = 0x8;
    static final int INCOMPAT_ZTAILPACKING = 0x10;
    private static final int INCOMPAT_KNOWN = 0x1f;
    /** The longest path (in bytes) an image may hold: the kernel's PATH_MAX less the terminating NUL. */
    public static final int MAX_PATH = 4095;
    private static final int MAX_NAME = 255;
    private static final int DIRENT_SIZE = 12;
    private static final long NULL_BLOCK = 0xffffffffL;
    private static final int S_IFMT = 0170000;
    private static final String[] XATTR_PREFIXES = {null, "user.", "system.posix_acl_access", "system.posix_acl_default",
        "trusted.", "lustre.", "security."};

    private final ErofsSource source;
    private final int blockBits;
    private final long rootNid;
    private final long buildTime;
    private final long metaBlock;
    private final long xattrBlock;
    private final int incompat;

    /** One entry of the tree: its path (relative, {@code ""} for the root) and its inode. */
    public record Entry(String path, ErofsInode inode) {
    }

    private ErofsImage(ErofsSource source) throws IOException {
        this.source = source;
        if (source.size() < SUPER_OFFSET + 128) {
            throw new ErofsFormatException("it is " + source.size() + " bytes long, too short for an erofs superblock");
        }
        ByteBuffer b = source.buffer(SUPER_OFFSET, 128, "the superblock");
        if ((b.getInt(0) & 0xffffffffL) != MAGIC) {
            throw new ErofsFormatException("there is no erofs magic at offset 1024");
        }
        blockBits = b.get(12) & 0xff;
        if (blockBits < 9 || blockBits > 16) {
            throw new ErofsFormatException("its block size 2^" + blockBits + " is not one erofs uses (2^9 to 2^16)");
        }
        int compat = b.getInt(8);
        if ((compat & COMPAT_SB_CHKSUM) != 0) {
            checkChecksum(b.getInt(4));
        }
        incompat = b.getInt(80);
        if ((incompat & ~INCOMPAT_KNOWN) != 0) {
            throw new ErofsFormatException("it uses incompatible features 0x" + Integer.toHexString(incompat & ~INCOMPAT_KNOWN)
                    + " that erofs-utils 1.5 does not write");
        }
        if ((incompat & INCOMPAT_DEVICE_TABLE) != 0 && (b.getShort(86) & 0xffff) != 0) {
            throw new ErofsFormatException("its data lies on " + (b.getShort(86) & 0xffff)
                    + " extra devices, which a single-file sysext image cannot use");
        }
        rootNid = b.getShort(14) & 0xffff;
        buildTime = b.getLong(24);
        long blocks = b.getInt(36) & 0xffffffffL;
        if (blocks << blockBits > source.size()) {
            throw new ErofsFormatException("its superblock declares " + (blocks << blockBits) + " bytes but the file holds "
                    + source.size() + " (truncated?)");
        }
        metaBlock = b.getInt(40) & 0xffffffffL;
        xattrBlock = b.getInt(44) & 0xffffffffL;
        if (metaBlock << blockBits >= source.size()) {
            throw new ErofsFormatException("its metadata block " + metaBlock + " lies outside the image");
        }
    }

    /** The superblock checksum (CRC32C of the superblock's block from offset 1024, with the checksum zeroed). */
    private void checkChecksum(int expected) throws IOException {
        int blockSize = 1 << blockBits;
        if (blockSize <= SUPER_OFFSET + 128) {
            throw new ErofsFormatException("it claims a superblock checksum with " + blockSize + "-byte blocks, "
                    + "which erofs does not define");
        }
        byte[] block = source.read(SUPER_OFFSET, blockSize - SUPER_OFFSET, "the superblock's block");
        block[4] = 0;
        block[5] = 0;
        block[6] = 0;
        block[7] = 0;
        CRC32C crc = new CRC32C();
        crc.update(block, 0, block.length);
        // the kernel's crc32c(~0, ...) has no final inversion; Java's CRC32C has
        int actual = ~(int) crc.getValue();
        if (actual != expected) {
            throw new ErofsFormatException(String.format("its superblock checksum is 0x%08x but the superblock "
                    + "sums to 0x%08x (corrupted)", expected, actual));
        }
    }

    /** Opens the image file (closing the image closes the file). */
    public static ErofsImage open(Path file) throws IOException {
        return open(file, 0, -1);
    }

    /**
     * Opens the image that fills {@code length} bytes at {@code offset} of {@code file} (a partition of a disk
     * image); {@code length} -1 is the rest of the file.
     */
    public static ErofsImage open(Path file, long offset, long length) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = length < 0 ? channel.size() - offset : Math.min(length, channel.size() - offset);
            return new ErofsImage(ErofsSource.of(channel, offset, size));
        } catch (IOException | RuntimeException | Error e) {
            channel.close();
            throw e;
        }
    }

    /** Reads an image held in memory (fuzzing, tests). */
    public static ErofsImage of(byte[] bytes) throws ErofsFormatException {
        try {
            return new ErofsImage(ErofsSource.of(bytes.clone()));
        } catch (ErofsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new ErofsFormatException(e.getMessage());
        }
    }

    int blockBits() {
        return blockBits;
    }

    int blockSize() {
        return 1 << blockBits;
    }

    boolean has(int incompatFeature) {
        return (incompat & incompatFeature) != 0;
    }

    long size() {
        return source.size();
    }

    ErofsSource source() {
        return source;
    }

    /** The build time (the mtime of every compact inode). */
    public long buildTime() {
        return buildTime;
    }

    public ErofsInode root() throws IOException {
        ErofsInode root = inode(rootNid);
        if (root.type() != EntryType.DIRECTORY) {
            throw new ErofsFormatException("its root inode is not a directory");
        }
        return root;
    }

    /** The inode numbered {@code nid}, checked to lie inside the image. */
    public ErofsInode inode(long nid) throws IOException {
        long base = metaBlock << blockBits;
        if (nid < 0 || nid > (source.size() - base) / 32) {
            throw new ErofsFormatException("it refers to inode " + Long.toUnsignedString(nid) + ", past its end");
        }
        long off = base + nid * 32;
        ByteBuffer b = source.buffer(off, 32, "inode " + nid);
        int format = b.getShort(0) & 0xffff;
        boolean extended = (format & 1) != 0;
        if (extended) {
            b = source.buffer(off, 64, "inode " + nid);
        }
        int layout = (format >> 1) & 0x7;
        if (layout > ErofsInode.CHUNK_BASED) {
            throw new ErofsFormatException("inode " + nid + " has an unknown data layout " + layout);
        }
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
            mtime = buildTime;
        }
        if (size < 0) {
            throw new ErofsFormatException("inode " + nid + " has a negative size");
        }
        EntryType type = switch (mode & S_IFMT) {
            case 0040000 -> EntryType.DIRECTORY;
            case 0120000 -> EntryType.SYMLINK;
            case 0020000 -> EntryType.CHAR_DEVICE;
            case 0060000 -> EntryType.BLOCK_DEVICE;
            case 0010000 -> EntryType.FIFO;
            case 0140000 -> EntryType.SOCKET;
            case 0100000 -> EntryType.FILE;
            default -> throw new ErofsFormatException("inode " + nid + " has an unknown file type 0"
                    + Integer.toOctalString(mode & S_IFMT));
        };
        int xattrSize = xattrCount == 0 ? 0 : 12 + (xattrCount - 1) * 4;
        int inodeSize = extended ? 64 : 32;
        if (off + inodeSize + xattrSize > source.size()) {
            throw new ErofsFormatException("inode " + nid + "'s extended attributes run past the image's end");
        }
        long union = b.getInt(16) & 0xffffffffL;
        return new ErofsInode(nid, type, mode & 07777, uid, gid, size, layout, union, mtime, off, inodeSize,
                xattrSize, nlink);
    }

    /**
     * Every entry of the image, parents before children (each directory's entries in the image's order). The tree
     * is walked with an explicit stack: however deep the image, no recursion.
     */
    public List<Entry> walk() throws IOException {
        ErofsInode root = root();
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("", root));
        Set<Long> directories = new HashSet<>();
        directories.add(root.nid());
        // a directory entry takes at least 13 bytes of directory data, and every directory is read once
        long maxEntries = source.size() / (DIRENT_SIZE + 1) + 1;
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame("", children("", root)));
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.next == top.children.size()) {
                stack.pop();
                continue;
            }
            Child c = top.children.get(top.next++);
            String path = top.path.isEmpty() ? c.name : top.path + "/" + c.name;
            if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
                throw new ErofsFormatException("it holds a path longer than " + MAX_PATH + " bytes (under "
                        + quote(top.path.isEmpty() ? "/" : top.path) + "), which no system can open");
            }
            ErofsInode in = inode(c.nid);
            out.add(new Entry(path, in));
            if (out.size() > maxEntries) {
                throw new ErofsFormatException("it lists more entries than its " + source.size() + " bytes can hold");
            }
            if (in.type() == EntryType.DIRECTORY) {
                if (!directories.add(in.nid())) {
                    throw new ErofsFormatException("directory " + quote(path) + " is inode " + in.nid()
                            + ", already reached by another path (a directory cycle or a hard-linked directory)");
                }
                stack.push(new Frame(path, children(path, in)));
            }
        }
        return out;
    }

    private record Child(String name, long nid) {
    }

    private static final class Frame {
        final String path;
        final List<Child> children;
        int next;

        Frame(String path, List<Child> children) {
            this.path = path;
            this.children = children;
        }
    }

    /** The entries of one directory (without {@code .} and {@code ..}), each name checked. */
    private List<Child> children(String path, ErofsInode dir) throws IOException {
        String where = quote(path.isEmpty() ? "/" : path);
        if (dir.layout() != ErofsInode.FLAT_PLAIN && dir.layout() != ErofsInode.FLAT_INLINE) {
            throw new ErofsFormatException("directory " + where + " uses data layout " + dir.layout()
                    + ", which erofs-utils 1.5 does not write for directories");
        }
        byte[] data = plain(dir, "directory " + where);
        List<Child> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int bs = blockSize();
        for (int blockStart = 0; blockStart < data.length; blockStart += bs) {
            int blockLen = Math.min(bs, data.length - blockStart);
            if (blockLen < DIRENT_SIZE) {
                throw new ErofsFormatException("directory " + where + " has a truncated block");
            }
            ByteBuffer b = ByteBuffer.wrap(data, blockStart, blockLen).slice().order(ByteOrder.LITTLE_ENDIAN);
            int firstNameOff = b.getShort(8) & 0xffff;
            int count = firstNameOff / DIRENT_SIZE;
            if (count == 0 || firstNameOff % DIRENT_SIZE != 0 || firstNameOff > blockLen) {
                throw new ErofsFormatException("directory " + where + " has a corrupt block (its first name "
                        + "starts at " + firstNameOff + ")");
            }
            for (int i = 0; i < count; i++) {
                long nid = b.getLong(i * DIRENT_SIZE);
                int nameOff = b.getShort(i * DIRENT_SIZE + 8) & 0xffff;
                boolean last = i + 1 == count;
                int nameEnd = last ? blockLen : b.getShort((i + 1) * DIRENT_SIZE + 8) & 0xffff;
                if (nameOff < firstNameOff || nameOff > nameEnd || nameEnd > blockLen) {
                    throw new ErofsFormatException("directory " + where + " has an entry whose name lies outside "
                            + "its block");
                }
                int len = nameEnd - nameOff;
                if (last) {
                    // the last name of a block runs to the block's end or to the first NUL
                    len = 0;
                    while (nameOff + len < nameEnd && b.get(nameOff + len) != 0) {
                        len++;
                    }
                }
                String name = name(b, nameOff, len, where);
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                if (!names.add(name)) {
                    throw new ErofsFormatException("directory " + where + " lists " + quote(name) + " twice");
                }
                out.add(new Child(name, nid));
            }
        }
        return out;
    }

    /** A directory entry's name, refused unless it names one entry inside its directory. */
    private static String name(ByteBuffer b, int off, int len, String where) throws ErofsFormatException {
        if (len == 0) {
            throw new ErofsFormatException("directory " + where + " has an entry with an empty name");
        }
        if (len > MAX_NAME) {
            throw new ErofsFormatException("directory " + where + " has an entry name of " + len
                    + " bytes (at most " + MAX_NAME + ")");
        }
        byte[] raw = new byte[len];
        b.get(off, raw);
        String name = new String(raw, StandardCharsets.UTF_8);
        for (byte c : raw) {
            if (c == '/' || c == 0) {
                throw new ErofsFormatException("directory " + where + " has an entry named " + quote(name)
                        + " (with a " + (c == 0 ? "NUL" : "'/'") + "), which no file system may hold; "
                        + "the image is crafted or corrupt");
            }
        }
        return name;
    }

    /** The content of a regular file. */
    public byte[] read(ErofsInode in) throws IOException {
        if (in.type() != EntryType.FILE) {
            throw new ErofsFormatException("inode " + in.nid() + " is not a regular file");
        }
        // no erofs-utils 1.5 layout holds more than 255 times its size in data (lz4's best ratio)
        long max = Math.min(Integer.MAX_VALUE - 16L, 255L * source.size() + blockSize());
        if (in.size() > max) {
            throw new ErofsFormatException("inode " + in.nid() + " claims " + in.size() + " bytes, more than the "
                    + source.size() + "-byte image can hold");
        }
        String what = "the data of inode " + in.nid();
        return switch (in.layout()) {
            case ErofsInode.FLAT_PLAIN, ErofsInode.FLAT_INLINE -> plain(in, what);
            case ErofsInode.CHUNK_BASED -> chunked(in, what);
            default -> CompressedData.read(this, in);
        };
    }

    /** A symlink's target. */
    public String symlinkTarget(ErofsInode in) throws IOException {
        if (in.type() != EntryType.SYMLINK) {
            throw new ErofsFormatException("inode " + in.nid() + " is not a symlink");
        }
        if (in.size() > MAX_PATH) {
            throw new ErofsFormatException("symlink inode " + in.nid() + " has a target of " + in.size()
                    + " bytes (at most " + MAX_PATH + ")");
        }
        if (in.layout() != ErofsInode.FLAT_PLAIN && in.layout() != ErofsInode.FLAT_INLINE) {
            throw new ErofsFormatException("symlink inode " + in.nid() + " uses data layout " + in.layout()
                    + ", which erofs-utils 1.5 does not write for symlinks");
        }
        return new String(plain(in, "the target of symlink inode " + in.nid()), StandardCharsets.UTF_8);
    }

    /** Flat plain (whole blocks from the start block) or flat inline (whole blocks, then a tail after the inode). */
    private byte[] plain(ErofsInode in, String what) throws IOException {
        long size = in.size();
        int bs = blockSize();
        if (in.layout() == ErofsInode.FLAT_PLAIN) {
            return source.read(in.union() << blockBits, size, what);
        }
        long full = size / bs * bs;
        int tail = (int) (size - full);
        if (size > source.size()) {
            throw new ErofsFormatException(what + " (" + size + " bytes) is larger than the image");
        }
        byte[] out = new byte[(int) size];
        if (full > 0) {
            System.arraycopy(source.read(in.union() << blockBits, full, what), 0, out, 0, (int) full);
        }
        if (tail > 0) {
            long at = in.bodyEnd();
            if ((at & (bs - 1)) + tail > bs) {
                throw new ErofsFormatException(what + " has an inline tail that crosses a block boundary");
            }
            System.arraycopy(source.read(at, tail, what), 0, out, (int) full, tail);
        }
        return out;
    }

    /** Chunk-based: a map of block addresses (or 8-byte chunk indexes), one per chunk; holes read as zeros. */
    private byte[] chunked(ErofsInode in, String what) throws IOException {
        int format = (int) (in.union() & 0xffff);
        if ((format & ~0x3f) != 0) {
            throw new ErofsFormatException(what + " has an unknown chunk format 0x" + Integer.toHexString(format));
        }
        int chunkBits = blockBits + (format & 0x1f);
        if (chunkBits > 40) {
            throw new ErofsFormatException(what + " has chunks of 2^" + chunkBits + " bytes");
        }
        boolean indexes = (format & 0x20) != 0;
        long chunk = 1L << chunkBits;
        long count = (in.size() + chunk - 1) >> chunkBits;
        int unit = indexes ? 8 : 4;
        long mapAt = indexes ? (in.bodyEnd() + 7) & ~7L : in.bodyEnd();
        ByteBuffer map = source.buffer(mapAt, count * unit, what + "'s chunk map");
        byte[] out = new byte[(int) in.size()];
        for (int i = 0; i < count; i++) {
            long block;
            if (indexes) {
                if (map.getShort(i * 8 + 2) != 0) {
                    throw new ErofsFormatException(what + " lies on an extra device, which a single-file sysext "
                            + "image cannot use");
                }
                block = map.getInt(i * 8 + 4) & 0xffffffffL;
            } else {
                block = map.getInt(i * 4) & 0xffffffffL;
            }
            long from = i * chunk;
            int n = (int) Math.min(chunk, in.size() - from);
            if (block != NULL_BLOCK) {
                System.arraycopy(source.read(block << blockBits, n, what), 0, out, (int) from, n);
            }
        }
        return out;
    }

    /** The extended attributes of an inode: shared ones (by id) and inline ones, with their prefixes. */
    public Map<String, String> xattrs(ErofsInode in) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (in.xattrSize() == 0) {
            return out;
        }
        String what = "the extended attributes of inode " + in.nid();
        ByteBuffer body = source.buffer(in.offset() + in.inodeSize(), in.xattrSize(), what);
        int shared = body.get(4) & 0xff;
        if (12 + shared * 4 > in.xattrSize()) {
            throw new ErofsFormatException(what + " list more shared attributes than their area holds");
        }
        int pos = 12;
        for (int i = 0; i < shared; i++) {
            long id = body.getInt(pos) & 0xffffffffL;
            pos += 4;
            long at = (xattrBlock << blockBits) + id * 4;
            ByteBuffer head = source.buffer(at, 4, what);
            int total = 4 + (head.get(0) & 0xff) + (head.getShort(2) & 0xffff);
            xattr(source.buffer(at, total, what), 0, out);
        }
        while (pos + 4 <= in.xattrSize()) {
            int len = 4 + (body.get(pos) & 0xff) + (body.getShort(pos + 2) & 0xffff);
            if (pos + len > in.xattrSize()) {
                throw new ErofsFormatException(what + " run past their area");
            }
            xattr(body, pos, out);
            pos += (len + 3) & ~3;
        }
        return out;
    }

    /** One {@code erofs_xattr_entry} at {@code pos} (its whole length checked by the caller). */
    private static void xattr(ByteBuffer b, int pos, Map<String, String> out) {
        int nameLen = b.get(pos) & 0xff;
        int index = b.get(pos + 1) & 0xff;
        int valueLen = b.getShort(pos + 2) & 0xffff;
        byte[] name = new byte[nameLen];
        byte[] value = new byte[valueLen];
        b.get(pos + 4, name);
        b.get(pos + 4 + nameLen, value);
        String prefix = index < XATTR_PREFIXES.length && XATTR_PREFIXES[index] != null ? XATTR_PREFIXES[index] : "";
        out.put(prefix + new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
    }

    /**
     * A name or path from an image, made printable on one line: control characters, backslashes and quotes are
     * escaped ({@code \n}, {@code \x1b}), the whole in single quotes.
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\'') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
