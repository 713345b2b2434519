package dev.sysextctl.core.image.squashfs;

import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** gzip compression: each block is one zlib stream (RFC 1950), as squashfs-tools and the kernel write it. */
final class ZlibDecompressor implements Decompressor {
    private final Inflater inflater = new Inflater();

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int max) throws IOException {
        inflater.reset();
        inflater.setInput(src, off, len);
        int n = 0;
        try {
            while (!inflater.finished()) {
                if (n == max) {
                    throw new SquashfsFormatException("a zlib block decompresses to more than " + max + " bytes");
                }
                int r = inflater.inflate(dst, n, max - n);
                if (r == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new SquashfsFormatException("a zlib block is truncated");
                }
                n += r;
            }
        } catch (DataFormatException e) {
            throw new SquashfsFormatException("a zlib block is corrupt (" + e.getMessage() + ")");
        }
        return n;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
