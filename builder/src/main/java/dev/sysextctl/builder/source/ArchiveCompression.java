package dev.sysextctl.builder.source;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
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

    /**
     * The decompressed stream of a whole file read from {@code raw}, for archives from elsewhere: a failure of the
     * decoder becomes a {@link CorruptStreamException} that names the format and the compressed byte where it
     * stopped. Reading it to its end verifies every check the format has (gzip's CRC32 and size, xz's block checks
     * and index, zstd's frame checksums, bzip2's CRCs): a caller that stops at the tar's end must drain it.
     */
    public InputStream decompressChecked(InputStream raw) throws IOException {
        if (this == NONE) {
            return raw;
        }
        Counting counted = new Counting(raw);
        InputStream decoded;
        try {
            decoded = decompress(counted);
        } catch (IOException | RuntimeException e) {
            throw new CorruptStreamException(this, counted.count, e);
        }
        return new FilterInputStream(decoded) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            private boolean zerosOnly;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (zerosOnly) {
                    return -1;
                }
                try {
                    return super.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    if (onlyZerosFollow(e)) {
                        zerosOnly = true;
                        return -1;
                    }
                    throw new CorruptStreamException(ArchiveCompression.this, counted.count, e);
                }
            }

            /** Like GNU gzip, ignore zeros after the last gzip member (commons-compress calls them unexpected data). */
            private boolean onlyZerosFollow(Exception e) throws IOException {
                if (ArchiveCompression.this != GZIP || counted.last != 0
                        || !String.valueOf(e.getMessage()).matches("(Garbage|Unexpected data) after .*")) {
                    return false;
                }
                int b;
                while ((b = counted.read()) == 0) {
                    // skip
                }
                return b < 0;
            }

            @Override
            public long skip(long n) throws IOException {
                if (zerosOnly) {
                    return 0;
                }
                try {
                    return super.skip(n);
                } catch (IOException | RuntimeException e) {
                    throw new CorruptStreamException(ArchiveCompression.this, counted.count, e);
                }
            }
        };
    }

    /** The compressed stream is not valid: truncated or corrupt, at a compressed byte offset. */
    public static final class CorruptStreamException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptStreamException(ArchiveCompression c, long at, Throwable cause) {
            super(describe(c, at, cause), cause);
        }

        private static String describe(ArchiveCompression c, long at, Throwable cause) {
            String detail = cause.getMessage();
            boolean truncated = cause instanceof EOFException || detail == null
                    || detail.toLowerCase(java.util.Locale.ROOT).matches(".*(truncat|unexpected end|premature).*");
            return "not a valid " + c.displayName + " stream (" + (truncated ? "truncated" : detail.strip())
                    + " at byte " + at + ")";
        }
    }

    /**
     * Counts the compressed bytes the decoder has taken and remembers the last one (zeros at the end of a gzip file
     * are told from garbage by it: the decoder's own buffer hides the first byte after its last member).
     */
    private static final class Counting extends FilterInputStream {
        private long count;
        private int last = -1;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
                last = b;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                last = b[off + n - 1] & 0xff;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(n);
            count += Math.max(0, s);
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }
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
