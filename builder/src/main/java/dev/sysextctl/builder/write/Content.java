package dev.sysextctl.builder.write;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a file's content of a known size, and notices when the file is shorter or longer than announced. */
final class Content {
    private static final int BUFFER = 1 << 16;

    private Content() {
    }

    static void copyExactly(InputStream in, OutputStream out, long size, String path) throws IOException {
        byte[] buf = new byte[(int) Math.min(BUFFER, Math.max(size, 1))];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new SourceChangedException(path + " is shorter than its " + size + " bytes (it changed during "
                        + "the build, or the archive is truncated)");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    /** Thrown when a file's content does not match its announced size. */
    static final class SourceChangedException extends IOException {
        private static final long serialVersionUID = 1L;

        SourceChangedException(String message) {
            super(message);
        }
    }
}
