package dev.sysextctl.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Release files are read up to 64 KiB: a 3 GiB sparse os-release is refused in one line, not read. */
class ReleaseFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aSparseOsReleaseIsRefusedWithoutReadingIt() throws Exception {
        Path f = tmp.resolve("os-release");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(3L << 30);
        }
        assertThatThrownBy(() -> OsReleaseFiles.read(f)).isInstanceOf(OperationFailedException.class)
                .hasMessage("release file " + f + " is 3221225472 bytes, more than the 64 KiB sysextctl reads from a "
                        + "release file; make it a short KEY=VALUE text file");
    }

    @Test
    void aFileOfExactlyTheCapIsRead() throws Exception {
        String line = "ID=debian\n";
        StringBuilder b = new StringBuilder(line);
        while (b.length() < ReleaseFiles.MAX_BYTES) {
            b.append('#');
        }
        Path f = Files.writeString(tmp.resolve("os-release"), b.substring(0, ReleaseFiles.MAX_BYTES));
        assertThat(OsReleaseFiles.read(f).get("ID")).isEqualTo("debian");
        Files.writeString(f, b.append("x"));
        assertThatThrownBy(() -> OsReleaseFiles.read(f)).hasMessageContaining("65537 bytes, more than the 64 KiB");
    }
}
