package dev.sysextctl.core.image.squashfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A table of fixed-size entries (uid/gid ids, fragment entries, xattr ids) kept in metadata blocks, found
 * through an array of little-endian 64-bit block positions at {@code indexStart}. The blocks precede their
 * index, which is what bounds them.
 */
final class LookupTable {
    private final ImageChannel io;
    private final MetadataReader meta;
    private final String what;
    private final long indexStart;
    private final long count;
    private final int entrySize;
    private long[] index;

    LookupTable(ImageChannel io, MetadataReader meta, String what, long indexStart, long count, int entrySize) {
        this.io = io;
        this.meta = meta;
        this.what = what;
        this.indexStart = indexStart;
        this.count = count;
        this.entrySize = entrySize;
    }

    long count() {
        return count;
    }

    /** Entry {@code i}, as a little-endian buffer of {@code entrySize} bytes. */
    ByteBuffer entry(long i) throws IOException {
        if (i < 0 || i >= count) {
            throw new SquashfsFormatException("it refers to " + what + " entry " + i + " of " + count);
        }
        long byteOffset = i * entrySize;
        int block = (int) (byteOffset / MetadataReader.BLOCK_SIZE);
        int offset = (int) (byteOffset % MetadataReader.BLOCK_SIZE);
        long at = index()[block];
        MetadataReader.Cursor c = meta.cursor(at, offset, indexStart);
        return ByteBuffer.wrap(c.bytes(entrySize)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private long[] index() throws IOException {
        if (index == null) {
            long blocks = (count * entrySize + MetadataReader.BLOCK_SIZE - 1) / MetadataReader.BLOCK_SIZE;
            if (blocks * 8 > io.end() - indexStart) {
                throw new SquashfsFormatException("its " + what + " table (" + count + " entries) does not fit in it");
            }
            ByteBuffer b = ByteBuffer.wrap(io.read(indexStart, (int) (blocks * 8))).order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[(int) blocks];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getLong(i * 8);
                if (out[i] < Superblock.SIZE || out[i] >= indexStart) {
                    throw new SquashfsFormatException("its " + what + " table points at offset " + out[i]
                            + ", outside the table");
                }
            }
            index = out;
        }
        return index;
    }
}
