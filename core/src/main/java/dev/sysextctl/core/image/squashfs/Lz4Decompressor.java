package dev.sysextctl.core.image.squashfs;

import java.io.IOException;

/**
 * lz4 compression: each block is one raw LZ4 block (no frame), which squashfs-tools writes with its "legacy"
 * format version 1. A sequence is a token (literal length, match length), the literals, a 2-byte
 * little-endian offset back into the output and the match; the last sequence has literals only.
 */
public final class Lz4Decompressor implements Decompressor {
    private static final int MIN_MATCH = 4;

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int max) throws IOException {
        return decode(src, off, len, dst, max, false);
    }

    /**
     * Decompresses only the first {@code max} bytes of a block and stops there, ignoring what follows (as
     * {@code LZ4_decompress_safe_partial}): for erofs clusters written without zero padding, whose lz4 data is
     * followed by unrelated bytes.
     *
     * @return the number of bytes written ({@code max} unless the block is shorter)
     */
    public int decompressPrefix(byte[] src, int off, int len, byte[] dst, int max) throws IOException {
        return decode(src, off, len, dst, max, true);
    }

    private int decode(byte[] src, int off, int len, byte[] dst, int max, boolean prefix) throws IOException {
        int in = off;
        int end = off + len;
        int out = 0;
        while (in < end) {
            int token = src[in++] & 0xff;
            int literals = token >>> 4;
            if (literals == 15) {
                int b;
                do {
                    if (in >= end) {
                        throw truncated();
                    }
                    b = src[in++] & 0xff;
                    literals += b;
                } while (b == 255 && literals < max);
            }
            if (prefix && literals >= max - out) {
                literals = max - out;
                if (literals > end - in) {
                    throw truncated();
                }
                System.arraycopy(src, in, dst, out, literals);
                return max;
            }
            if (literals > end - in) {
                throw truncated();
            }
            if (literals > max - out) {
                throw tooLarge(max);
            }
            System.arraycopy(src, in, dst, out, literals);
            in += literals;
            out += literals;
            if (in == end) {
                return out;
            }
            if (end - in < 2) {
                throw truncated();
            }
            int offset = (src[in] & 0xff) | (src[in + 1] & 0xff) << 8;
            in += 2;
            if (offset == 0 || offset > out) {
                throw new SquashfsFormatException("an lz4 block refers to data before its start");
            }
            int match = token & 15;
            if (match == 15) {
                int b;
                do {
                    if (in >= end) {
                        throw truncated();
                    }
                    b = src[in++] & 0xff;
                    match += b;
                } while (b == 255 && match < max);
            }
            match += MIN_MATCH;
            if (prefix && match >= max - out) {
                match = max - out;
            } else if (match > max - out) {
                throw tooLarge(max);
            }
            int from = out - offset;
            if (offset >= match) {
                System.arraycopy(dst, from, dst, out, match);
                out += match;
            } else {
                for (int i = 0; i < match; i++) {
                    dst[out++] = dst[from + i];
                }
            }
            if (prefix && out == max) {
                return out;
            }
        }
        throw truncated();
    }

    private static SquashfsFormatException truncated() {
        return new SquashfsFormatException("an lz4 block is truncated");
    }

    private static SquashfsFormatException tooLarge(int max) {
        return new SquashfsFormatException("an lz4 block decompresses to more than " + max + " bytes");
    }
}
