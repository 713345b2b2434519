package dev.sysextctl.core.image.erofs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The bytes of an image: a file or an array. Every read is checked against the size first, so a length or an
 * offset read from the image never allocates more than the image holds.
 */
abstract class ErofsSource implements AutoCloseable {
    private final long size;

    ErofsSource(long size) {
        this.size = size;
    }

    long size() {
        return size;
    }

    /** Exactly {@code length} bytes at {@code position}; refused when that range is not inside the image. */
    final byte[] read(long position, long length, String what) throws IOException {
        if (position < 0 || length < 0 || length > Integer.MAX_VALUE - 16 || position > size
                || length > size - position) {
            throw new ErofsFormatException(what + " (" + length + " bytes at offset " + position
                    + ") lies outside the image (" + size + " bytes)");
        }
        byte[] out = new byte[(int) length];
        fill(position, out);
        return out;
    }

    final ByteBuffer buffer(long position, long length, String what) throws IOException {
        return ByteBuffer.wrap(read(position, length, what)).order(ByteOrder.LITTLE_ENDIAN);
    }

    abstract void fill(long position, byte[] out) throws IOException;

    @Override
    public void close() throws IOException {
    }

    static ErofsSource of(byte[] bytes) {
        return new ErofsSource(bytes.length) {
            @Override
            void fill(long position, byte[] out) {
                System.arraycopy(bytes, (int) position, out, 0, out.length);
            }
        };
    }

    static ErofsSource of(FileChannel channel) throws IOException {
        return of(channel, 0, channel.size());
    }

    /** The {@code length} bytes at {@code offset} of the file (a partition of a disk image). */
    static ErofsSource of(FileChannel channel, long offset, long length) {
        return new ErofsSource(length) {
            @Override
            void fill(long position, byte[] out) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(out);
                long pos = offset + position;
                while (b.hasRemaining()) {
                    int n = channel.read(b, pos);
                    if (n < 0) {
                        throw new ErofsFormatException("the image file ended at offset " + pos
                                + " while it was being read (it shrank?)");
                    }
                    pos += n;
                }
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
