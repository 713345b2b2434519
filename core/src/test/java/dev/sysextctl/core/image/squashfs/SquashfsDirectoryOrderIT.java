package dev.sysextctl.core.image.squashfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory whose listing names an entry twice (or out of order) is corrupt: unsquashfs refuses it ("directory
 * has duplicate names or is unsorted"), and so does the Java reader, in one line, instead of listing both.
 */
@Requires(tools = {"mksquashfs", "unsquashfs"})
class SquashfsDirectoryOrderIT {
    @TempDir
    Path tmp;

    /** usr/lib holding {@code first} and {@code second}, metadata uncompressed, then {@code second} renamed in place. */
    private Path image(String first, String second, String renamed) throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("usr/lib"));
        Files.writeString(src.resolve("usr/lib/" + first), "a");
        Files.writeString(src.resolve("usr/lib/" + second), "b");
        Path good = SquashfsFixtures.mksquashfs(src, tmp.resolve("good.img"), List.of("-noI", "-noD", "-noF", "-noX"));
        byte[] bytes = Files.readAllBytes(good);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf(second);
        assertThat(at).isPositive();
        assertThat(latin.indexOf(second, at + 1)).isNegative();
        System.arraycopy(renamed.getBytes(StandardCharsets.US_ASCII), 0, bytes, at, renamed.length());
        return Files.write(tmp.resolve("bad.img"), bytes);
    }

    @Test
    void aDirectoryListingANameTwiceIsRefused() throws Exception {
        Path bad = image("dupaa", "dupab", "dupaa");
        assertThat(Shell.run("unsquashfs", "-l", bad.toString()).exitCode()).isNotZero(); // the reference refuses it
        try (SquashfsImageFs fs = SquashfsImageFs.withoutFallback(bad)) {
            assertThatThrownBy(() -> fs.list("usr/lib")).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("a directory lists 'dupaa' twice").hasMessageNotContaining("\n");
        }
    }

    @Test
    void aDirectoryListedOutOfOrderIsRefused() throws Exception {
        Path bad = image("dupaa", "dupab", "dupa0");
        assertThat(Shell.run("unsquashfs", "-l", bad.toString()).exitCode()).isNotZero();
        try (SquashfsImageFs fs = SquashfsImageFs.withoutFallback(bad)) {
            assertThatThrownBy(() -> fs.list("usr/lib")).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("entries are not sorted ('dupa0' comes after 'dupaa')");
        }
    }

    @Test
    void theUntouchedImageListsBoth() throws Exception {
        image("dupaa", "dupab", "dupab");
        try (SquashfsImageFs fs = SquashfsImageFs.withoutFallback(tmp.resolve("good.img"))) {
            assertThat(fs.list("usr/lib")).extracting(TreeEntry::name).containsExactly("dupaa", "dupab");
        }
    }
}
