package dev.sysextctl.core.image.squashfs;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A squashfs 4.0 image read in Java, without root, mounting or unsquashfs: the superblock, inodes, directories
 * (with their lookup index), symlinks, devices, the uid/gid, fragment and xattr tables, and file content from
 * data blocks and fragments. It reads only the blocks it needs (a small image, or a larger one's metadata tables,
 * in one read), and bounds every length it reads, so a truncated or corrupt image fails with an
 * {@link OperationFailedException} instead of hanging or exhausting memory. Images it cannot decode (lzo, other
 * versions) fail with {@link UnsupportedSquashfsException} at {@link #open}. Not thread-safe.
 */
public final class SquashfsImage implements AutoCloseable {
    /** What {@link #read(Inode)} reads into memory at most. */
    public static final long DEFAULT_READ_LIMIT = 64L << 20;
    /** The most entries {@link #walk} visits (a sysext image has thousands). */
    public static final int MAX_WALK_ENTRIES = 2_000_000;
    private static final int MAX_NAME = 256;
    private static final int MAX_HEADER_ENTRIES = 256;
    private static final int MAX_SYMLINK = 65536;
    private static final int MAX_XATTR_VALUE = 65536;
    private static final int MAX_DEPTH = 1024;
    private static final int DATA_UNCOMPRESSED = 1 << 24;
    private static final int LZ4_LEGACY = 1;
    private static final String[] XATTR_PREFIXES = {"user.", "trusted.", "security."};

    /** Small images are read whole, larger ones' metadata tables at once, when they are at most this big. */
    private static final int READ_AHEAD = 256 << 10;
    private final Path path;
    private final RandomAccessFile file;
    private final long fileSize;
    private final ImageChannel io;
    private final Superblock sb;
    private final Decompressor decompressor;
    private final MetadataReader meta;
    private final LookupTable ids;
    private final LookupTable fragments;
    private LookupTable xattrIds;
    private long xattrTableStart;
    private long fragmentPosition = -1;
    private byte[] fragmentData;
    private int fragmentLength;
    /** The uid/gid looked up last (most images have one: root's), and its index; -1 before the first. */
    private int lastIdIndex = -1;
    private int lastId;

    private SquashfsImage(Path path, RandomAccessFile file, long offset, long fileSize, Superblock sb,
            Decompressor decompressor) {
        this.path = path;
        this.file = file;
        this.fileSize = fileSize;
        this.sb = sb;
        this.io = new ImageChannel(file, offset, sb.bytesUsed());
        long tables = sb.bytesUsed() - sb.inodeTableStart();
        if (sb.bytesUsed() <= READ_AHEAD) {
            io.readAhead(0, (int) sb.bytesUsed());
        } else if (tables <= READ_AHEAD) {
            io.readAhead(sb.inodeTableStart(), (int) tables);
        }
        this.decompressor = decompressor;
        this.meta = new MetadataReader(io, decompressor);
        this.ids = new LookupTable(io, meta, "uid/gid", sb.idTableStart(), sb.ids(), 4);
        this.fragments = new LookupTable(io, meta, "fragment", sb.fragmentTableStart(), sb.fragments(), 16);
    }

    /**
     * Opens {@code file} and checks its superblock.
     *
     * @throws UnsupportedSquashfsException for a squashfs image this class does not decode (lzo, squashfs 3)
     * @throws OperationFailedException for anything that is not a valid squashfs 4.0 image
     */
    public static SquashfsImage open(Path file) throws OperationFailedException {
        return open(file, 0, -1);
    }

    /**
     * Opens the image that fills {@code length} bytes at {@code offset} of {@code file} (a partition of a disk
     * image); {@code length} -1 is the rest of the file.
     */
    public static SquashfsImage open(Path file, long offset, long length) throws OperationFailedException {
        RandomAccessFile ch;
        try {
            ch = new RandomAccessFile(file.toFile(), "r");
        } catch (IOException | UnsupportedOperationException e) {
            throw new OperationFailedException("cannot open " + file + ": " + e.getMessage() + "; check the path "
                    + "and its permissions");
        }
        try {
            long size = length < 0 ? ch.length() - offset : Math.min(length, ch.length() - offset);
            ImageChannel head = new ImageChannel(ch, offset, size);
            Superblock sb = Superblock.parse(head.read(0, (int) Math.min(Superblock.SIZE, size)), size);
            Decompressor d = sb.compression().decompressor();
            SquashfsImage image = new SquashfsImage(file, ch, offset, size, sb, d);
            try {
                image.checkCompressorOptions();
            } catch (IOException | UnsupportedSquashfsException | RuntimeException e) {
                d.close();
                throw e;
            }
            return image;
        } catch (UnsupportedSquashfsException e) {
            close(ch);
            throw new UnsupportedSquashfsException(file + " is a squashfs image sysextctl does not read itself: "
                    + e.getMessage() + "; unsquashfs or a mount reads it (mksquashfs -comp gzip, xz, lz4 or zstd "
                    + "makes images sysextctl reads alone)");
        } catch (IOException | RuntimeException e) {
            close(ch);
            throw corrupt(file, e);
        }
    }

    private void checkCompressorOptions() throws IOException, UnsupportedSquashfsException {
        if (sb.compression() == SquashfsCompressor.LZ4 && sb.hasCompressorOptions()) {
            MetadataReader.Cursor c = meta.cursor(Superblock.SIZE, 0, sb.bytesUsed());
            long version = c.u32();
            if (version != LZ4_LEGACY) {
                throw new UnsupportedSquashfsException("its lz4 compressor options name format version " + version
                        + ", not the legacy format 1");
            }
        }
    }

    public Path path() {
        return path;
    }

    /** The size of the image file (at least {@code bytes_used}; mksquashfs pads to 4 KiB). */
    public long fileSize() {
        return fileSize;
    }

    public Superblock superblock() {
        return sb;
    }

    public SquashfsCompressor compression() {
        return sb.compression();
    }

    /** The root directory's inode. */
    public Inode root() throws OperationFailedException {
        Inode root = inode(sb.rootInode());
        if (!root.isDirectory()) {
            throw corrupt(path, new SquashfsFormatException("its root inode is not a directory"));
        }
        return root;
    }

    /** The inode at reference {@code ref} (metadata block in the inode table {@code << 16} | offset). */
    public Inode inode(long ref) throws OperationFailedException {
        try {
            return readInode(ref);
        } catch (IOException | RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    /** The entries of directory {@code dir}, in the image's (byte-wise sorted) order. */
    public List<DirEntry> list(Inode dir) throws OperationFailedException {
        Inode.DirectoryLayout d = directory(dir);
        List<DirEntry> out = new ArrayList<>();
        try {
            long remaining = d.size() - 3;
            if (remaining > 0) {
                MetadataReader.Cursor c = meta.cursor(sb.directoryTableStart() + d.block(), d.offset(), io.end());
                readEntries(c, remaining, null, out);
            }
        } catch (IOException | RuntimeException e) {
            throw corrupt(path, e);
        }
        return out;
    }

    /** The entry {@code name} of directory {@code dir}, found through the directory index where there is one. */
    public Optional<DirEntry> find(Inode dir, String name) throws OperationFailedException {
        Inode.DirectoryLayout d = directory(dir);
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        if (wanted.length == 0 || wanted.length > MAX_NAME) {
            return Optional.empty();
        }
        try {
            long remaining = d.size() - 3;
            long block = d.block();
            int offset = d.offset();
            if (d.indexCount() > 0) {
                MetadataReader.Cursor ic = meta.cursor(d.indexBlock(), d.indexOffset(), sb.directoryTableStart());
                for (int i = 0; i < d.indexCount(); i++) {
                    long index = ic.u32();
                    long start = ic.u32();
                    long size = ic.u32() + 1;
                    if (size > MAX_NAME) {
                        throw new SquashfsFormatException("a directory index entry has a " + size + "-byte name");
                    }
                    byte[] indexed = ic.bytes((int) size);
                    if (Arrays.compareUnsigned(indexed, wanted) > 0) {
                        break;
                    }
                    if (index > d.size() - 3 || start >= sb.bytesUsed() - sb.directoryTableStart()) {
                        throw new SquashfsFormatException("a directory index entry points outside its directory");
                    }
                    block = start;
                    offset = (int) ((d.offset() + index) % MetadataReader.BLOCK_SIZE);
                    remaining = d.size() - 3 - index;
                }
            }
            if (remaining <= 0) {
                return Optional.empty();
            }
            List<DirEntry> found = new ArrayList<>(1);
            MetadataReader.Cursor c = meta.cursor(sb.directoryTableStart() + block, offset, io.end());
            readEntries(c, remaining, wanted, found);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        } catch (IOException | RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    /** The inode at {@code relative} ({@code usr/lib/os-release}; {@code ""} is the root), symlinks not followed. */
    public Optional<Inode> lookup(String relative) throws OperationFailedException {
        Inode at = root();
        if (relative.isEmpty()) {
            return Optional.of(at);
        }
        for (String part : relative.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!at.isDirectory()) {
                return Optional.empty();
            }
            Optional<DirEntry> e = find(at, part);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            at = inode(e.get().inodeRef());
        }
        return Optional.of(at);
    }

    /** Visits every entry, parents before children, directories in the image's order; the root is {@code ""}. */
    public void walk(Visitor visitor) throws OperationFailedException {
        Inode root = root();
        int[] budget = {MAX_WALK_ENTRIES};
        Set<Long> seen = new HashSet<>();
        if (visitor.visit("", root)) {
            walk("", root, visitor, seen, budget, 0);
        }
    }

    /** Called for each entry of {@link #walk}. */
    @FunctionalInterface
    public interface Visitor {
        /** @return whether to descend into {@code inode} when it is a directory */
        boolean visit(String path, Inode inode) throws OperationFailedException;
    }

    private void walk(String dirPath, Inode dir, Visitor visitor, Set<Long> seen, int[] budget, int depth)
            throws OperationFailedException {
        if (!seen.add(dir.ref())) {
            throw corrupt(path, new SquashfsFormatException("directory " + display(dirPath) + " is reached twice (the "
                    + "directory tree loops)"));
        }
        if (depth > MAX_DEPTH) {
            throw corrupt(path, new SquashfsFormatException("its directories nest deeper than " + MAX_DEPTH));
        }
        for (DirEntry e : list(dir)) {
            if (--budget[0] < 0) {
                throw new OperationFailedException(path + " has more than " + MAX_WALK_ENTRIES + " entries, more than "
                        + "sysextctl reads; split it into smaller images");
            }
            Inode in = inode(e.inodeRef());
            if (in.kind() != e.type() && in.kind() != e.type() + 7) {
                throw corrupt(path, new SquashfsFormatException("the directory entry " + e.name() + " says type "
                        + e.type() + " but its inode is of type " + in.kind()));
            }
            String p = dirPath.isEmpty() ? e.name() : dirPath + "/" + e.name();
            if (visitor.visit(p, in) && in.isDirectory()) {
                walk(p, in, visitor, seen, budget, depth + 1);
            }
        }
    }

    /** The target of a symlink, decoded as UTF-8. */
    public String symlinkTarget(Inode link) {
        if (!(link.layout() instanceof Inode.SymlinkLayout s)) {
            throw new IllegalArgumentException("not a symlink inode");
        }
        return new String(s.target(), StandardCharsets.UTF_8);
    }

    /** The content of a regular file, up to {@link #DEFAULT_READ_LIMIT}. */
    public byte[] read(Inode file) throws OperationFailedException {
        return read(file, DEFAULT_READ_LIMIT);
    }

    /** The content of a regular file; one larger than {@code limit} bytes fails without being read. */
    public byte[] read(Inode file, long limit) throws OperationFailedException {
        if (!(file.layout() instanceof Inode.FileLayout f)) {
            throw new IllegalArgumentException("not a regular file inode");
        }
        long size = file.size();
        if (size > limit || size > Integer.MAX_VALUE - 16) {
            throw new OperationFailedException("a file of " + size + " bytes in " + path + " is larger than the "
                    + Math.min(limit, Integer.MAX_VALUE - 16) + " bytes sysextctl reads into memory; extract it with "
                    + "unsquashfs instead");
        }
        try {
            return readFile(f, (int) size);
        } catch (IOException | RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    /**
     * The content of a regular file as a stream that decodes one data block at a time, whatever the file's size
     * (a sparse block costs nothing stored and comes out as zeros). Corruption found while reading is an
     * {@link IOException} from the stream. The stream shares this reader: read it before the next operation.
     */
    public InputStream stream(Inode file) {
        if (!(file.layout() instanceof Inode.FileLayout f)) {
            throw new IllegalArgumentException("not a regular file inode");
        }
        return new FileStream(f, file.size());
    }

    /** {@link #stream}: the blocks of the file in order, then its fragment's tail. */
    private final class FileStream extends InputStream {
        private final Inode.FileLayout f;
        private final long size;
        private final long blocks;
        private MetadataReader.Cursor list;
        private long next;
        private long position;
        private long delivered;
        private byte[] block = new byte[0];
        private int blockLength;
        private int at;
        private byte[] scratch;

        FileStream(Inode.FileLayout f, long size) {
            this.f = f;
            this.size = size;
            long bs = sb.blockSize();
            this.blocks = f.hasFragment() ? size / bs : (size + bs - 1) / bs;
            this.position = f.blocksStart();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (at == blockLength && !fill()) {
                return -1;
            }
            int n = Math.min(len, blockLength - at);
            System.arraycopy(block, at, b, off, n);
            at += n;
            delivered += n;
            return n;
        }

        /** Decodes the next block (or the tail); false at the end of the file. */
        private boolean fill() throws IOException {
            if (delivered >= size) {
                return false;
            }
            try {
                int bs = sb.blockSize();
                if (block.length < bs) {
                    block = new byte[bs];
                }
                at = 0;
                if (next < blocks) {
                    if (list == null) {
                        list = meta.cursor(f.blockListBlock(), f.blockListOffset(), sb.directoryTableStart());
                    }
                    long word = list.u32();
                    int stored = (int) (word & (DATA_UNCOMPRESSED - 1));
                    int expected = (int) Math.min(bs, size - next * bs);
                    next++;
                    if ((word & ~(DATA_UNCOMPRESSED | (DATA_UNCOMPRESSED - 1L))) != 0 || stored > bs) {
                        throw new SquashfsFormatException("a data block claims " + word + " stored bytes");
                    }
                    blockLength = expected;
                    if (stored == 0) {
                        java.util.Arrays.fill(block, 0, expected, (byte) 0); // a sparse block
                        return true;
                    }
                    byte[] raw = io.read(position, stored);
                    position += stored;
                    if ((word & DATA_UNCOMPRESSED) != 0) {
                        if (stored != expected) {
                            throw new SquashfsFormatException("an uncompressed data block holds " + stored
                                    + " bytes instead of " + expected);
                        }
                        System.arraycopy(raw, 0, block, 0, stored);
                    } else {
                        if (scratch == null) {
                            scratch = new byte[bs];
                        }
                        int n = decompressor.decompress(raw, 0, stored, scratch, expected);
                        if (n != expected) {
                            throw new SquashfsFormatException("a data block decompresses to " + n + " bytes instead "
                                    + "of " + expected);
                        }
                        System.arraycopy(scratch, 0, block, 0, n);
                    }
                    return true;
                }
                int tail = (int) (size - blocks * bs);
                fragment(f.fragment());
                if (f.fragmentOffset() + tail > fragmentLength) {
                    throw new SquashfsFormatException("a file's tail runs past the end of its fragment");
                }
                System.arraycopy(fragmentData, (int) f.fragmentOffset(), block, 0, tail);
                blockLength = tail;
                return true;
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SquashfsFormatException("a data block of " + path + " is corrupt: " + e);
            }
        }
    }

    /** Every extended attribute of {@code inode} (user., trusted., security.), values as stored. */
    public Map<String, byte[]> xattrs(Inode inode) throws OperationFailedException {
        if (inode.xattrIndex() == Inode.NO_XATTRS || !sb.hasXattrs()) {
            return Map.of();
        }
        try {
            return readXattrs(inode.xattrIndex());
        } catch (IOException | RuntimeException e) {
            throw corrupt(path, e);
        }
    }

    @Override
    public void close() {
        decompressor.close();
        close(file);
    }

    // ---- inodes

    private Inode readInode(long ref) throws IOException {
        long block = ref >>> 16;
        int offset = (int) (ref & 0xffff);
        if (offset >= MetadataReader.BLOCK_SIZE || block >= sb.directoryTableStart() - sb.inodeTableStart()) {
            throw new SquashfsFormatException("an inode reference (" + Long.toHexString(ref)
                    + ") points outside the inode table");
        }
        MetadataReader.Cursor c = meta.cursor(sb.inodeTableStart() + block, offset, sb.directoryTableStart());
        int kind = c.u16();
        int mode = c.u16() & 07777;
        int uidIndex = c.u16();
        int gidIndex = c.u16();
        long mtime = c.u32();
        long number = c.u32();
        long nlink = 1;
        long size = 0;
        long xattr = Inode.NO_XATTRS;
        Inode.Layout layout;
        EntryType type;
        switch (kind) {
            case 1 -> {
                long dirBlock = c.u32();
                nlink = c.u32();
                size = c.u16();
                int dirOffset = c.u16();
                long parent = c.u32();
                layout = directoryLayout(dirBlock, dirOffset, size, 0, 0, 0, parent);
                type = EntryType.DIRECTORY;
            }
            case 8 -> {
                nlink = c.u32();
                size = c.u32();
                long dirBlock = c.u32();
                long parent = c.u32();
                int indexCount = c.u16();
                int dirOffset = c.u16();
                xattr = c.u32();
                layout = directoryLayout(dirBlock, dirOffset, size, indexCount, c.position(), c.offset(), parent);
                type = EntryType.DIRECTORY;
            }
            case 2 -> {
                long start = c.u32();
                long fragment = c.u32();
                long fragmentOffset = c.u32();
                size = c.u32();
                layout = fileLayout(start, fragment, fragmentOffset, c);
                type = EntryType.FILE;
            }
            case 9 -> {
                long start = c.u64();
                size = c.u64();
                c.u64(); // sparse: bytes saved by sparse blocks, not needed to read
                nlink = c.u32();
                long fragment = c.u32();
                long fragmentOffset = c.u32();
                xattr = c.u32();
                if (size < 0 || start < 0) {
                    throw new SquashfsFormatException("a file inode has an impossible size or position");
                }
                layout = fileLayout(start, fragment, fragmentOffset, c);
                type = EntryType.FILE;
            }
            case 3, 10 -> {
                nlink = c.u32();
                size = c.u32();
                if (size > MAX_SYMLINK) {
                    throw new SquashfsFormatException("a symlink target is " + size + " bytes long");
                }
                layout = new Inode.SymlinkLayout(c.bytes((int) size));
                if (kind == 10) {
                    xattr = c.u32();
                }
                type = EntryType.SYMLINK;
            }
            case 4, 5, 11, 12 -> {
                nlink = c.u32();
                long rdev = c.u32();
                if (kind >= 11) {
                    xattr = c.u32();
                }
                int major = (int) ((rdev >> 8) & 0xfff);
                int minor = (int) ((rdev & 0xff) | ((rdev >> 12) & 0xfff00));
                layout = new Inode.DeviceLayout(major, minor);
                type = kind == 4 || kind == 11 ? EntryType.BLOCK_DEVICE : EntryType.CHAR_DEVICE;
            }
            case 6, 7, 13, 14 -> {
                nlink = c.u32();
                if (kind >= 13) {
                    xattr = c.u32();
                }
                layout = new Inode.NoLayout();
                type = kind == 6 || kind == 13 ? EntryType.FIFO : EntryType.SOCKET;
            }
            default -> throw new SquashfsFormatException("an inode has the unknown type " + kind);
        }
        return new Inode(ref, kind, type, mode, id(uidIndex), id(gidIndex), mtime, number, nlink, size, xattr, layout);
    }

    private Inode.DirectoryLayout directoryLayout(long block, int offset, long size, int indexCount, long indexBlock,
            int indexOffset, long parent) throws SquashfsFormatException {
        if (size < 3) {
            throw new SquashfsFormatException("a directory inode has the impossible size " + size);
        }
        if (offset >= MetadataReader.BLOCK_SIZE || block >= sb.bytesUsed() - sb.directoryTableStart()) {
            throw new SquashfsFormatException("a directory inode points outside the directory table");
        }
        return new Inode.DirectoryLayout(block, offset, size, indexCount, indexBlock, indexOffset, parent);
    }

    private Inode.FileLayout fileLayout(long start, long fragment, long fragmentOffset, MetadataReader.Cursor c)
            throws SquashfsFormatException {
        if (fragment != Inode.FileLayout.NO_FRAGMENT && fragmentOffset >= sb.blockSize()) {
            throw new SquashfsFormatException("a file inode points at byte " + fragmentOffset + " of a fragment");
        }
        return new Inode.FileLayout(start, fragment, fragmentOffset, c.position(), c.offset());
    }

    private int id(int index) throws IOException {
        if (index != lastIdIndex) {
            lastId = ids.entry(index).getInt(0);
            lastIdIndex = index;
        }
        return lastId;
    }

    private Inode.DirectoryLayout directory(Inode dir) {
        if (!(dir.layout() instanceof Inode.DirectoryLayout d)) {
            throw new IllegalArgumentException("not a directory inode");
        }
        return d;
    }

    // ---- directories

    /**
     * Reads directory headers and entries for {@code remaining} bytes. With {@code wanted}, stops at that name
     * (adding it to {@code out}) or at the first name sorted after it.
     */
    private void readEntries(MetadataReader.Cursor c, long remaining, byte[] wanted, List<DirEntry> out)
            throws IOException {
        byte[] previous = null;
        while (remaining > 0) {
            if (remaining < 12) {
                throw new SquashfsFormatException("a directory listing ends inside a header");
            }
            long count = c.u32() + 1;
            long startBlock = c.u32();
            long base = c.u32();
            remaining -= 12;
            if (count > MAX_HEADER_ENTRIES) {
                throw new SquashfsFormatException("a directory header announces " + count + " entries (at most "
                        + MAX_HEADER_ENTRIES + ")");
            }
            for (long i = 0; i < count; i++) {
                if (remaining < 8) {
                    throw new SquashfsFormatException("a directory listing ends inside an entry");
                }
                int offset = c.u16();
                int delta = (short) c.u16();
                int type = c.u16();
                int nameLength = c.u16() + 1;
                remaining -= 8L + nameLength;
                if (nameLength > MAX_NAME || remaining < 0) {
                    throw new SquashfsFormatException("a directory entry's name runs past its directory");
                }
                byte[] raw = c.bytes(nameLength);
                if (offset >= MetadataReader.BLOCK_SIZE || type < 1 || type > 7) {
                    throw new SquashfsFormatException("a directory entry has type " + type + " or inode offset "
                            + offset);
                }
                checkName(raw);
                int order = previous == null ? -1 : Arrays.compareUnsigned(previous, raw);
                if (order >= 0) {
                    // unsquashfs refuses such a directory ("duplicate names or is unsorted"); lookups would miss names
                    String name = ImagePaths.cescape(new String(raw, StandardCharsets.UTF_8));
                    throw new SquashfsFormatException(order == 0 ? "a directory lists '" + name + "' twice"
                            : "a directory's entries are not sorted ('" + name + "' comes after '"
                                    + ImagePaths.cescape(new String(previous, StandardCharsets.UTF_8)) + "')");
                }
                previous = raw;
                if (wanted != null) {
                    int cmp = Arrays.compareUnsigned(raw, wanted);
                    if (cmp == 0) {
                        out.add(new DirEntry(new String(raw, StandardCharsets.UTF_8), startBlock << 16 | offset, type,
                                (base + delta) & 0xffffffffL));
                        return;
                    }
                    if (cmp > 0) {
                        return;
                    }
                    continue;
                }
                out.add(new DirEntry(new String(raw, StandardCharsets.UTF_8), startBlock << 16 | offset, type,
                        (base + delta) & 0xffffffffL));
            }
        }
    }

    private static void checkName(byte[] raw) throws SquashfsFormatException {
        boolean dots = raw.length <= 2;
        for (byte b : raw) {
            if (b == '/' || b == 0) {
                throw new SquashfsFormatException("a directory entry's name contains '/' or NUL");
            }
            dots &= b == '.';
        }
        if (dots) {
            throw new SquashfsFormatException("a directory entry is named '.' or '..'");
        }
    }

    // ---- file content

    private byte[] readFile(Inode.FileLayout f, int size) throws IOException {
        byte[] out = new byte[size];
        int bs = sb.blockSize();
        int blocks = f.hasFragment() ? size / bs : (int) ((size + (long) bs - 1) / bs);
        MetadataReader.Cursor list = blocks == 0 ? null
                : meta.cursor(f.blockListBlock(), f.blockListOffset(), sb.directoryTableStart());
        long position = f.blocksStart();
        byte[] scratch = null;
        for (int i = 0; i < blocks; i++) {
            long word = list.u32();
            int stored = (int) (word & (DATA_UNCOMPRESSED - 1));
            int expected = (int) Math.min(bs, size - (long) i * bs);
            int at = i * bs;
            if ((word & ~(DATA_UNCOMPRESSED | (DATA_UNCOMPRESSED - 1L))) != 0 || stored > bs) {
                throw new SquashfsFormatException("a data block claims " + word + " stored bytes");
            }
            if (stored == 0) {
                continue; // a sparse block: zeros, nothing stored
            }
            byte[] raw = io.read(position, stored);
            position += stored;
            if ((word & DATA_UNCOMPRESSED) != 0) {
                if (stored != expected) {
                    throw new SquashfsFormatException("an uncompressed data block holds " + stored + " bytes instead "
                            + "of " + expected);
                }
                System.arraycopy(raw, 0, out, at, stored);
            } else {
                if (scratch == null) {
                    scratch = new byte[bs];
                }
                int n = decompressor.decompress(raw, 0, stored, scratch, expected);
                if (n != expected) {
                    throw new SquashfsFormatException("a data block decompresses to " + n + " bytes instead of "
                            + expected);
                }
                System.arraycopy(scratch, 0, out, at, n);
            }
        }
        if (f.hasFragment()) {
            int tail = size - blocks * bs;
            fragment(f.fragment());
            if (f.fragmentOffset() + tail > fragmentLength) {
                throw new SquashfsFormatException("a file's tail runs past the end of its fragment");
            }
            System.arraycopy(fragmentData, (int) f.fragmentOffset(), out, blocks * bs, tail);
        }
        return out;
    }

    /** Loads fragment block {@code index} into {@link #fragmentData} (the last one stays cached). */
    private void fragment(long index) throws IOException {
        ByteBuffer e = fragments.entry(index);
        long start = e.getLong(0);
        long word = e.getInt(8) & 0xffffffffL;
        if (start == fragmentPosition) {
            return;
        }
        int stored = (int) (word & (DATA_UNCOMPRESSED - 1));
        if ((word & ~(DATA_UNCOMPRESSED | (DATA_UNCOMPRESSED - 1L))) != 0 || stored == 0 || stored > sb.blockSize()) {
            throw new SquashfsFormatException("fragment " + index + " claims " + word + " stored bytes");
        }
        byte[] raw = io.read(start, stored);
        byte[] data;
        int length;
        if ((word & DATA_UNCOMPRESSED) != 0) {
            data = raw;
            length = stored;
        } else {
            data = new byte[sb.blockSize()];
            length = decompressor.decompress(raw, 0, stored, data, sb.blockSize());
        }
        fragmentPosition = start;
        fragmentData = data;
        fragmentLength = length;
    }

    // ---- extended attributes

    private Map<String, byte[]> readXattrs(long index) throws IOException {
        if (xattrIds == null) {
            ByteBuffer h = ByteBuffer.wrap(io.read(sb.xattrIdTableStart(), 16)).order(ByteOrder.LITTLE_ENDIAN);
            long tableStart = h.getLong(0);
            long count = h.getInt(8) & 0xffffffffL;
            if (tableStart < Superblock.SIZE || tableStart >= sb.xattrIdTableStart()) {
                throw new SquashfsFormatException("its xattr table starts outside the image");
            }
            xattrTableStart = tableStart;
            xattrIds = new LookupTable(io, meta, "xattr id", sb.xattrIdTableStart() + 16, count, 16);
        }
        ByteBuffer id = xattrIds.entry(index);
        long ref = id.getLong(0);
        long count = id.getInt(8) & 0xffffffffL;
        long size = id.getInt(12) & 0xffffffffL;
        if (count > size / 8) {
            throw new SquashfsFormatException("an xattr set claims " + count + " attributes in " + size + " bytes");
        }
        MetadataReader.Cursor c = xattrCursor(ref);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            int type = c.u16();
            int nameLength = c.u16();
            int prefix = type & 0xff;
            if (prefix >= XATTR_PREFIXES.length || (type & ~0x1ff) != 0) {
                throw new SquashfsFormatException("an xattr has the unknown type " + type);
            }
            String name = XATTR_PREFIXES[prefix] + new String(c.bytes(nameLength), StandardCharsets.UTF_8);
            long valueLength = c.u32();
            byte[] value;
            if ((type & 0x100) != 0) {
                if (valueLength != 8) {
                    throw new SquashfsFormatException("an out-of-line xattr value reference is " + valueLength
                            + " bytes long");
                }
                MetadataReader.Cursor v = xattrCursor(c.u64());
                value = xattrValue(v, v.u32());
            } else {
                value = xattrValue(c, valueLength);
            }
            out.put(name, value);
        }
        return out;
    }

    private MetadataReader.Cursor xattrCursor(long ref) throws IOException {
        long block = ref >>> 16;
        int offset = (int) (ref & 0xffff);
        if (offset >= MetadataReader.BLOCK_SIZE || block >= sb.xattrIdTableStart() - xattrTableStart) {
            throw new SquashfsFormatException("an xattr reference points outside the xattr table");
        }
        return meta.cursor(xattrTableStart + block, offset, sb.xattrIdTableStart());
    }

    private static byte[] xattrValue(MetadataReader.Cursor c, long length) throws IOException {
        if (length > MAX_XATTR_VALUE) {
            throw new SquashfsFormatException("an xattr value is " + length + " bytes long (at most "
                    + MAX_XATTR_VALUE + ")");
        }
        return c.bytes((int) length);
    }

    // ---- errors

    private static OperationFailedException corrupt(Path file, Exception e) {
        if (e instanceof OperationFailedException o) {
            return o;
        }
        String why = e instanceof SquashfsFormatException ? e.getMessage()
                : e instanceof IOException ? "reading it failed (" + e.getMessage() + ")"
                : "it is inconsistent (" + e + ")";
        return new OperationFailedException(file + " is not a valid squashfs image: " + why + "; check it with "
                + "'unsquashfs -s' and rebuild it", e);
    }

    private static String display(String p) {
        return p.isEmpty() ? "/" : p;
    }

    private static void close(RandomAccessFile ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing was written; closing a file opened for reading cannot lose data
        }
    }
}
