package dev.sysextctl.core.release;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.SmallFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The size cap on release files (os-release, extension-release). systemd reads them as small text files of a few
 * lines; one of gigabytes (a sparse file, say) is never a release file, and reading it whole would exhaust memory.
 * Anything larger than {@link #MAX_BYTES} is refused before it is read.
 */
public final class ReleaseFiles {
    /** 64 KiB: a hundred times a large real os-release. */
    public static final int MAX_BYTES = 64 * 1024;

    private ReleaseFiles() {
    }

    /** The refusal of a release file that holds more than {@code max} bytes ({@code size} when known, else -1). */
    public static OperationFailedException tooLarge(String file, long size, int max) {
        return new OperationFailedException("release file " + file + (size >= 0 ? " is " + size + " bytes, more than"
                : " holds more than") + " the " + max / 1024 + " KiB sysextctl reads from a release file; make it a "
                + "short KEY=VALUE text file");
    }

    /**
     * The bytes of {@code file}, reading at most {@code max + 1}: refused (shown as {@code shown}) when there are
     * more, whatever its size claimed when it was opened.
     */
    public static byte[] readCapped(Path file, String shown, int max) throws IOException, OperationFailedException {
        long size = Files.size(file);
        if (size > max) {
            throw tooLarge(shown, size, max);
        }
        try (InputStream in = SmallFiles.open(file)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw tooLarge(shown, -1, max);
            }
            return b;
        }
    }
}
