package dev.sysextctl.core.image.squashfs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * xz compression (each block one .xz stream, BCJ filters included) and the older lzma compression (each block
 * one .lzma "alone" stream), both decoded by org.tukaani:xz within a memory limit.
 */
final class XzDecompressor implements Decompressor {
    /** In KiB: squashfs dictionaries are at most the block size (1 MiB), so this only stops corrupt headers. */
    private static final int MEMORY_LIMIT_KIB = 64 * 1024;
    private final boolean lzma;

    XzDecompressor(boolean lzma) {
        this.lzma = lzma;
    }

    @Override
    public int decompress(byte[] src, int off, int len, byte[] dst, int max) throws IOException {
        try (InputStream in = lzma ? new LZMAInputStream(new ByteArrayInputStream(src, off, len), MEMORY_LIMIT_KIB)
                : new XZInputStream(new ByteArrayInputStream(src, off, len), MEMORY_LIMIT_KIB)) {
            int n = 0;
            while (n < max) {
                int r = in.read(dst, n, max - n);
                if (r < 0) {
                    return n;
                }
                n += r;
            }
            if (in.read() >= 0) {
                throw new SquashfsFormatException("an " + (lzma ? "lzma" : "xz") + " block decompresses to more than "
                        + max + " bytes");
            }
            return n;
        } catch (SquashfsFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SquashfsFormatException("an " + (lzma ? "lzma" : "xz") + " block is corrupt (" + e + ")");
        }
    }
}
