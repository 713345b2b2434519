package dev.sysextctl.core.image.squashfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads from the image file, never past the end the superblock declares ({@code bytes_used}). */
final class ImageChannel {
    private final FileChannel channel;
    private long end;

    ImageChannel(FileChannel channel, long end) {
        this.channel = channel;
        this.end = end;
    }

    void limit(long newEnd) {
        this.end = newEnd;
    }

    long end() {
        return end;
    }

    /** Exactly {@code length} bytes at {@code position}. */
    byte[] read(long position, int length) throws IOException {
        if (position < 0 || length < 0 || position > end || length > end - position) {
            throw new SquashfsFormatException("it refers to " + length + " bytes at offset " + position
                    + ", past its end (" + end + " bytes)");
        }
        byte[] out = new byte[length];
        ByteBuffer b = ByteBuffer.wrap(out);
        long at = position;
        while (b.hasRemaining()) {
            int r = channel.read(b, at);
            if (r < 0) {
                throw new SquashfsFormatException("the file ends at offset " + at + ", before the " + end
                        + " bytes its superblock declares (truncated?)");
            }
            at += r;
        }
        return out;
    }

    /** Up to {@code length} bytes at {@code position}, fewer where the image ends. */
    byte[] readUpTo(long position, int length) throws IOException {
        if (position < 0 || position >= end) {
            throw new SquashfsFormatException("it refers to offset " + position + ", past its end (" + end
                    + " bytes)");
        }
        return read(position, (int) Math.min(length, end - position));
    }
}
