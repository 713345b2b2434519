package dev.sysextctl.core.image.squashfs;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata blocks (inodes, directories, the id/fragment/xattr tables): a 2-byte little-endian header (bit 15
 * set: stored uncompressed; low 15 bits: the stored length), then at most 8 KiB once decompressed. Blocks are
 * cached by position (least recently used first out), and read through {@link Cursor}s that cross block
 * boundaries.
 */
final class MetadataReader {
    static final int BLOCK_SIZE = 8192;
    private static final int UNCOMPRESSED = 0x8000;
    private static final int CACHED_BLOCKS = 256;

    /** One decompressed block and where the next one starts. */
    record Block(byte[] data, int length, long next) {
    }

    private final ImageChannel io;
    private final Decompressor decompressor;
    /**
     * Where compressed blocks are decompressed to (then copied at their length): one per thread, not one per image
     * (a {@code list} of 50 images would make 50).
     */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();
    private final Map<Long, Block> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Block> eldest) {
            return size() > CACHED_BLOCKS;
        }
    };

    MetadataReader(ImageChannel io, Decompressor decompressor) {
        this.io = io;
        this.decompressor = decompressor;
    }

    Block block(long position) throws IOException {
        Block b = cache.get(position);
        if (b != null) {
            return b;
        }
        // the stored block where it was read ahead (no copy), decompressed into the scratch buffer, then kept at
        // its own length: a small image's blocks are a few hundred bytes, not 8 KiB each
        ImageChannel.Slice raw = io.sliceUpTo(position, 2 + BLOCK_SIZE);
        if (raw.length() < 2) {
            throw new SquashfsFormatException("a metadata block at offset " + position + " is cut off");
        }
        byte[] in = raw.data();
        int at = raw.offset();
        int header = (in[at] & 0xff) | (in[at + 1] & 0xff) << 8;
        int stored = header & ~UNCOMPRESSED;
        if (stored == 0 || stored > BLOCK_SIZE) {
            throw new SquashfsFormatException("a metadata block at offset " + position + " claims " + stored
                    + " stored bytes (at most " + BLOCK_SIZE + ")");
        }
        if (stored > raw.length() - 2) {
            throw new SquashfsFormatException("a metadata block at offset " + position + " runs past the end of "
                    + "the image");
        }
        byte[] data;
        int length;
        if ((header & UNCOMPRESSED) != 0) {
            data = new byte[stored];
            System.arraycopy(in, at + 2, data, 0, stored);
            length = stored;
        } else {
            byte[] scratch = SCRATCH.get();
            if (scratch == null) {
                scratch = new byte[BLOCK_SIZE];
                SCRATCH.set(scratch);
            }
            try {
                length = decompressor.decompress(in, at + 2, stored, scratch, BLOCK_SIZE);
            } catch (SquashfsFormatException e) {
                throw new SquashfsFormatException("the metadata block at offset " + position + ": " + e.getMessage());
            }
            data = java.util.Arrays.copyOf(scratch, length);
        }
        if (length == 0) {
            throw new SquashfsFormatException("a metadata block at offset " + position + " is empty");
        }
        b = new Block(data, length, position + 2 + stored);
        cache.put(position, b);
        return b;
    }

    /** A cursor at {@code offset} in the block at {@code position}; blocks it moves to must start before {@code limit}. */
    Cursor cursor(long position, int offset, long limit) throws IOException {
        if (position >= limit) {
            throw new SquashfsFormatException("a metadata reference (offset " + position + ") points outside its table");
        }
        return new Cursor(position, offset, limit);
    }

    /** Reads a metadata stream forward, block after block. */
    final class Cursor {
        private long position;
        private Block block;
        private int offset;
        private final long limit;

        private Cursor(long position, int offset, long limit) throws IOException {
            this.position = position;
            this.limit = limit;
            this.block = block(position);
            if (offset < 0 || offset > block.length()) {
                throw new SquashfsFormatException("a metadata reference points at byte " + offset + " of a block of "
                        + block.length());
            }
            this.offset = offset;
        }

        /** The block position and offset of the next byte (what an inode reference would hold). */
        long position() {
            return position;
        }

        int offset() {
            return offset;
        }

        private void settle() throws IOException {
            if (offset == block.length()) {
                long next = block.next();
                if (next >= limit) {
                    throw new SquashfsFormatException("a metadata stream runs past the end of its table");
                }
                position = next;
                block = block(next);
                offset = 0;
            }
        }

        void read(byte[] dst, int off, int len) throws IOException {
            while (len > 0) {
                settle();
                int n = Math.min(len, block.length() - offset);
                System.arraycopy(block.data(), offset, dst, off, n);
                offset += n;
                off += n;
                len -= n;
            }
        }

        byte[] bytes(int len) throws IOException {
            byte[] b = new byte[len];
            read(b, 0, len);
            return b;
        }

        void skip(long len) throws IOException {
            while (len > 0) {
                settle();
                int n = (int) Math.min(len, block.length() - offset);
                offset += n;
                len -= n;
            }
        }

        int u16() throws IOException {
            settle();
            if (block.length() - offset >= 2) {
                byte[] d = block.data();
                int v = (d[offset] & 0xff) | (d[offset + 1] & 0xff) << 8;
                offset += 2;
                return v;
            }
            byte[] b = bytes(2);
            return (b[0] & 0xff) | (b[1] & 0xff) << 8;
        }

        long u32() throws IOException {
            settle();
            byte[] d;
            int at;
            if (block.length() - offset >= 4) {
                d = block.data();
                at = offset;
                offset += 4;
            } else {
                d = bytes(4);
                at = 0;
            }
            return (d[at] & 0xffL) | (d[at + 1] & 0xffL) << 8 | (d[at + 2] & 0xffL) << 16 | (d[at + 3] & 0xffL) << 24;
        }

        long u64() throws IOException {
            long lo = u32();
            long hi = u32();
            return lo | hi << 32;
        }
    }
}
