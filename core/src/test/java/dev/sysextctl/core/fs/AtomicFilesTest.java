package dev.sysextctl.core.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesAndRefusesToOverwriteWithoutPermission() throws Exception {
        Path f = dir.resolve("report.json");
        AtomicFiles.writeString(f, "one", false);
        assertThat(f).hasContent("one");
        assertThatThrownBy(() -> AtomicFiles.writeString(f, "two", false)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("already exists");
        assertThat(f).hasContent("one");
        AtomicFiles.writeString(f, "two", true);
        assertThat(f).hasContent("two");
        assertThat(leftovers()).isZero();
    }

    @Test
    void failedContentLeavesNothingBehind() throws IOException {
        Path f = dir.resolve("x");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IOException("disk full");
        }, false, null)).isInstanceOf(OperationFailedException.class).hasMessageContaining("disk full");
        assertThat(f).doesNotExist();
        assertThat(leftovers()).isZero();
    }

    @Test
    void symlinksAreReplacedAtomically() throws Exception {
        Path link = dir.resolve("etc/extensions/a.raw");
        AtomicFiles.symlink(link, "/opt/a-1.raw", false);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/opt/a-1.raw"));
        AtomicFiles.symlink(link, "/opt/a-2.raw", true);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/opt/a-2.raw"));
        assertThatThrownBy(() -> AtomicFiles.symlink(link, "/x", false)).isInstanceOf(OperationFailedException.class);
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/opt/a-2.raw"));
    }

    private long leftovers() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".#")).count();
        }
    }

    @Test
    void describeSaysWhatHappenedWithoutAJavaClassName() {
        assertThat(AtomicFiles.describe(new java.nio.file.AccessDeniedException("unreadable.raw")))
                .isEqualTo("permission denied (unreadable.raw)");
        assertThat(AtomicFiles.describe(new java.nio.file.NoSuchFileException("gone.raw")))
                .isEqualTo("no such file or directory (gone.raw)");
        assertThat(AtomicFiles.describe(new java.nio.file.FileSystemException("f", null, "Read-only file system")))
                .isEqualTo("Read-only file system (f)");
    }
}
