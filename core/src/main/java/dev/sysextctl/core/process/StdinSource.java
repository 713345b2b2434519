package dev.sysextctl.core.process;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes what a process reads on stdin. Runs on its own thread while the process runs; the stream is closed
 * after it returns. An exception aborts the process.
 */
@FunctionalInterface
public interface StdinSource {
    void writeTo(OutputStream stdin) throws IOException;

    static StdinSource ofBytes(byte[] bytes) {
        return out -> out.write(bytes);
    }
}
