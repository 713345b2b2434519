package dev.sysextctl.core.image.squashfs;

import com.github.luben.zstd.Zstd;
import java.io.IOException;

/** zstd compression: each block is one zstd frame, decoded by zstd-jni into a bounded buffer. */
final class ZstdDecompressor implements Decompressor {
    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int max) throws IOException {
        long r;
        try {
            r = Zstd.decompressByteArray(dst, 0, max, src, off, len);
        } catch (RuntimeException | LinkageError e) {
            throw new SquashfsFormatException("a zstd block cannot be decompressed (" + e.getMessage() + ")");
        }
        if (Zstd.isError(r)) {
            throw new SquashfsFormatException("a zstd block is corrupt (" + Zstd.getErrorName(r) + ")");
        }
        return (int) r;
    }
}
