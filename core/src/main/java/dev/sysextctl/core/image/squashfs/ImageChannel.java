package dev.sysextctl.core.image.squashfs;

import java.io.IOException;
import java.io.RandomAccessFile;

/**
 * Reads from the image file, never past the end the superblock declares ({@code bytes_used}), through a
 * RandomAccessFile (a cheaper start than a FileChannel for a short command). One range can be read ahead in a
 * single read the first time something inside it is asked for: the metadata tables at the end of the image (or
 * all of a small image), which every question reads a few blocks of.
 */
final class ImageChannel {
    private final RandomAccessFile file;
    /** Where the image starts in the file (a partition of a disk image), 0 for an image file. */
    private final long base;
    private long end;
    private long aheadStart = -1;
    private int aheadLength;
    private byte[] ahead;

    ImageChannel(RandomAccessFile file, long end) {
        this(file, 0, end);
    }

    ImageChannel(RandomAccessFile file, long base, long end) {
        this.file = file;
        this.base = base;
        this.end = end;
    }

    void limit(long newEnd) {
        this.end = newEnd;
    }

    long end() {
        return end;
    }

    /** Reads {@code [start, start + length)} in one go when something inside it is first read. */
    void readAhead(long start, int length) {
        this.aheadStart = start;
        this.aheadLength = length;
    }

    /** Exactly {@code length} bytes at {@code position}. */
    byte[] read(long position, int length) throws IOException {
        if (position < 0 || length < 0 || position > end || length > end - position) {
            throw new SquashfsFormatException("it refers to " + length + " bytes at offset " + position
                    + ", past its end (" + end + " bytes)");
        }
        if (aheadStart >= 0 && position >= aheadStart && position - aheadStart + length <= aheadLength) {
            if (ahead == null) {
                ahead = fill(new byte[aheadLength], aheadStart);
            }
            int from = (int) (position - aheadStart);
            return java.util.Arrays.copyOfRange(ahead, from, from + length);
        }
        return fill(new byte[length], position);
    }

    /** Reads {@code out.length} bytes at {@code position} (a seek and a read: no NIO buffers to set up). */
    private byte[] fill(byte[] out, long position) throws IOException {
        file.seek(base + position);
        int n = 0;
        while (n < out.length) {
            int r = file.read(out, n, out.length - n);
            if (r < 0) {
                throw new SquashfsFormatException("the file ends at offset " + (position + n) + ", before the " + end
                        + " bytes its superblock declares (truncated?)");
            }
            n += r;
        }
        return out;
    }

    /** Bytes of the image: {@code data[offset, offset + length)}. */
    record Slice(byte[] data, int offset, int length) {
    }

    /**
     * Up to {@code length} bytes at {@code position}, fewer where the image ends; without a copy where the range was
     * read ahead: then the slice is of the read-ahead buffer itself (which the caller only reads).
     */
    Slice sliceUpTo(long position, int length) throws IOException {
        if (position < 0 || position >= end) {
            throw new SquashfsFormatException("it refers to offset " + position + ", past its end (" + end
                    + " bytes)");
        }
        int n = (int) Math.min(length, end - position);
        if (aheadStart >= 0 && position >= aheadStart && position - aheadStart + n <= aheadLength) {
            if (ahead == null) {
                ahead = fill(new byte[aheadLength], aheadStart);
            }
            return new Slice(ahead, (int) (position - aheadStart), n);
        }
        return new Slice(read(position, n), 0, n);
    }
}
