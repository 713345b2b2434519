package dev.sysextctl.core.image.squashfs;

import java.io.IOException;

/**
 * Decompresses one squashfs block (a metadata block or a data block: each is compressed on its own). Every
 * implementation stops at {@code max} bytes of output: a block that would decompress to more is corrupt.
 */
interface Decompressor {
    /**
     * Decompresses {@code src[off, off+len)} into {@code dst} (at least {@code max} long).
     *
     * @return the number of bytes written
     * @throws IOException when the input is not a valid block or would decompress to more than {@code max} bytes
     */
    int decompress(byte[] src, int off, int len, byte[] dst, int max) throws IOException;

    /** Frees native resources (zlib's state). */
    default void close() {
    }
}
