package dev.sysextctl.builder.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.fs.TreeDeletion;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.DefaultSpecialFiles;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTreeWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesModesLinksXattrsAndTimesIntoReadOnlyDirectoriesToo() throws Exception {
        Fixtures.init();
        Path root = Files.createDirectory(tmp.resolve("root"));
        DirectoryTreeWriter w = new DirectoryTreeWriter(root, new DefaultSpecialFiles(new ZtProcessRunner()), false);
        w.add(new TreeEntry("usr", EntryType.DIRECTORY, 0755, 0, 0, 0, null, 0, 0, 9, null), null);
        w.add(new TreeEntry("usr/ro", EntryType.DIRECTORY, 0555, 0, 0, 0, null, 0, 0, 9, Map.of("user.d", "v")), null);
        w.add(new TreeEntry("usr/ro/su", EntryType.FILE, 04755, 0, 0, 2, null, 0, 0, 9,
                Map.of("user.extension-release.strict", "0")), new ByteArrayInputStream("ok".getBytes()));
        w.add(new TreeEntry("usr/ro/su2", EntryType.HARDLINK, 04755, 0, 0, 0, "usr/ro/su", 0, 0, 9, null), null);
        w.add(new TreeEntry("usr/ro/s", EntryType.SYMLINK, 0777, 0, 0, 2, "su", 0, 0, 9, null), null);
        w.add(new TreeEntry("usr/ro/fifo", EntryType.FIFO, 0640, 0, 0, 0, null, 0, 0, 9, null), null);
        w.finish();
        try (DirectoryImageFs fs = new DirectoryImageFs(root)) {
            assertThat(fs.lstat("usr/ro").orElseThrow().mode()).isEqualTo(0555);
            assertThat(fs.lstat("usr/ro/su").orElseThrow()).extracting(TreeEntry::mode, TreeEntry::size,
                    TreeEntry::mtime).containsExactly(04755, 2L, 9L);
            assertThat(fs.read("usr/ro/su")).isEqualTo("ok".getBytes());
            assertThat(fs.xattrs("usr/ro/su")).containsEntry("user.extension-release.strict", "0");
            assertThat(fs.xattrs("usr/ro")).containsEntry("user.d", "v");
            assertThat(fs.lstat("usr/ro/s").orElseThrow()).extracting(TreeEntry::type, TreeEntry::linkTarget,
                    TreeEntry::mtime).containsExactly(EntryType.SYMLINK, "su", 9L);
            assertThat(fs.lstat("usr/ro/fifo").orElseThrow()).extracting(TreeEntry::type, TreeEntry::mode,
                    TreeEntry::mtime).containsExactly(EntryType.FIFO, 0640, 9L);
            assertThat(fs.lstat("").orElseThrow().mode()).isEqualTo(0755);
        }
        assertThat(Files.getAttribute(root.resolve("usr/ro/su2"), "unix:ino"))
                .isEqualTo(Files.getAttribute(root.resolve("usr/ro/su"), "unix:ino"));
        TreeDeletion.deleteQuietly(root);
        assertThat(Files.exists(root, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void nothingIsWrittenOutsideTheRoot() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root"));
        DirectoryTreeWriter w = new DirectoryTreeWriter(root, new DefaultSpecialFiles(new ZtProcessRunner()), false);
        assertThatThrownBy(() -> w.add(TreeEntry.file("../escape", 0644, 1), new ByteArrayInputStream("x".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("outside");
        Files.createSymbolicLink(root.resolve("link"), tmp);
        assertThatThrownBy(() -> w.add(TreeEntry.file("link/escape", 0644, 1), new ByteArrayInputStream("x".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("not a directory");
        assertThat(Files.exists(tmp.resolve("escape"))).isFalse();
    }
}
