package dev.sysextctl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** For fuzz targets whose parser reads a file: the input's bytes in a scratch file, one per thread, reused. */
public final class FuzzInput {
    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            Path dir = Path.of(System.getProperty("java.io.tmpdir"));
            Files.createDirectories(dir);
            Path p = Files.createTempFile(dir, "fuzz-input", "");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private FuzzInput() {
    }

    /** Writes {@code data} to this thread's scratch file (replacing what was there) and returns it. */
    public static Path file(byte[] data) {
        Path p = FILE.get();
        try {
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
