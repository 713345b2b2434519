package dev.sysextctl.core.image.squashfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 96-byte squashfs 4.0 superblock at offset 0 (little-endian). Table positions are absolute byte offsets in
 * the image; {@code rootInode} is an inode reference (metadata block offset in the inode table {@code << 16} |
 * offset inside the decompressed block). {@link #NO_TABLE} marks an absent optional table.
 *
 * @param compressionId the raw compressor id ({@link #compression()} is null for an unknown one)
 */
public record Superblock(long inodes, long mkfsTime, int blockSize, long fragments, int compressionId, int blockLog,
        int flags, int ids, int major, int minor, long rootInode, long bytesUsed, long idTableStart,
        long xattrIdTableStart, long inodeTableStart, long directoryTableStart, long fragmentTableStart,
        long exportTableStart) {
    public static final int SIZE = 96;
    public static final int MAGIC = 0x73717368;
    public static final long NO_TABLE = -1L;
    /** Compressor options follow the superblock in a metadata block. */
    public static final int FLAG_COMPRESSOR_OPTIONS = 1 << 10;
    public static final int FLAG_NO_XATTRS = 1 << 9;
    static final int MIN_BLOCK_SIZE = 4096;
    static final int MAX_BLOCK_SIZE = 1 << 20;

    /** Parses and checks the superblock, like the kernel does before it mounts. */
    static Superblock parse(byte[] raw, long fileSize) throws SquashfsFormatException, UnsupportedSquashfsException {
        if (raw.length < SIZE) {
            throw new SquashfsFormatException("it is shorter than a squashfs superblock (" + raw.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic == Integer.reverseBytes(MAGIC)) {
            throw new UnsupportedSquashfsException("it is a big-endian squashfs image (squashfs 3 or older)");
        }
        if (magic != MAGIC) {
            throw new SquashfsFormatException("it has no squashfs magic (hsqs)");
        }
        Superblock s = new Superblock(u32(b, 4), u32(b, 8), b.getInt(12), u32(b, 16), u16(b, 20), u16(b, 22),
                u16(b, 24), u16(b, 26), u16(b, 28), u16(b, 30), b.getLong(32), b.getLong(40), b.getLong(48),
                b.getLong(56), b.getLong(64), b.getLong(72), b.getLong(80), b.getLong(88));
        s.check(fileSize);
        return s;
    }

    private void check(long fileSize) throws SquashfsFormatException, UnsupportedSquashfsException {
        if (major != 4 || minor != 0) {
            throw new UnsupportedSquashfsException("it is squashfs " + major + "." + minor
                    + ", not the squashfs 4.0 every current kernel mounts");
        }
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_BLOCK_SIZE || Integer.bitCount(blockSize) != 1
                || 1 << blockLog != blockSize) {
            throw new SquashfsFormatException("its block size " + Integer.toUnsignedString(blockSize) + " (log "
                    + blockLog + ") is not a power of two between 4 KiB and 1 MiB");
        }
        if (SquashfsCompressor.ofId(compressionId) == null) {
            throw new UnsupportedSquashfsException("it uses an unknown compressor (id " + compressionId + ")");
        }
        if (bytesUsed < SIZE || bytesUsed > fileSize) {
            throw new SquashfsFormatException("its superblock says it is " + Long.toUnsignedString(bytesUsed)
                    + " bytes long, but the file has " + fileSize + " (truncated?)");
        }
        if (ids < 1) {
            throw new SquashfsFormatException("it has no uid/gid table");
        }
        requireInside("inode table", inodeTableStart);
        requireInside("directory table", directoryTableStart);
        requireInside("uid/gid table", idTableStart);
        if (inodeTableStart >= directoryTableStart) {
            throw new SquashfsFormatException("its inode table does not come before its directory table");
        }
        if (fragments > 0) {
            requireInside("fragment table", fragmentTableStart);
        }
        if (xattrIdTableStart != NO_TABLE) {
            requireInside("xattr table", xattrIdTableStart);
        }
        if ((rootInode & 0xffff) >= MetadataReader.BLOCK_SIZE
                || inodeTableStart + (rootInode >>> 16) >= directoryTableStart || rootInode < 0) {
            throw new SquashfsFormatException("its root inode reference points outside the inode table");
        }
    }

    private void requireInside(String what, long start) throws SquashfsFormatException {
        if (start < SIZE || start >= bytesUsed) {
            throw new SquashfsFormatException("its " + what + " starts at " + Long.toUnsignedString(start)
                    + ", outside the image (" + bytesUsed + " bytes)");
        }
    }

    public SquashfsCompressor compression() {
        return SquashfsCompressor.ofId(compressionId);
    }

    public boolean hasCompressorOptions() {
        return (flags & FLAG_COMPRESSOR_OPTIONS) != 0;
    }

    public boolean hasXattrs() {
        return xattrIdTableStart != NO_TABLE;
    }

    private static long u32(ByteBuffer b, int off) {
        return b.getInt(off) & 0xffffffffL;
    }

    private static int u16(ByteBuffer b, int off) {
        return b.getShort(off) & 0xffff;
    }
}
