package dev.sysextctl.builder.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/** How a tar archive is compressed, told from its first bytes (never from its file name). */
public enum ArchiveCompression {
    NONE("tar", new byte[0]),
    GZIP("gzip", new byte[] {0x1f, (byte) 0x8b}),
    XZ("xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
    ZSTD("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}),
    BZIP2("bzip2", new byte[] {'B', 'Z', 'h'});

    private final String displayName;
    private final byte[] magic;

    ArchiveCompression(String displayName, byte[] magic) {
        this.displayName = displayName;
        this.magic = magic;
    }

    public String displayName() {
        return displayName;
    }

    /** The compression whose magic number {@code head} starts with; {@link #NONE} when none matches. */
    public static ArchiveCompression detect(byte[] head, int length) {
        for (ArchiveCompression c : values()) {
            if (c != NONE && length >= c.magic.length && Arrays.equals(head, 0, c.magic.length, c.magic, 0,
                    c.magic.length)) {
                return c;
            }
        }
        return NONE;
    }

    /** Peeks at the stream (which must support mark/reset) and names its compression. */
    public static ArchiveCompression detect(BufferedInputStream in) throws IOException {
        in.mark(16);
        byte[] head = in.readNBytes(8);
        in.reset();
        return detect(head, head.length);
    }

    /** The decompressed stream. */
    public InputStream decompress(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case XZ -> XZCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
            case ZSTD -> new ZstdCompressorInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
        };
    }
}
