package dev.sysextctl.core.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDeletionTest {
    @TempDir
    Path tmp;

    @Test
    void deletesATreeWithReadOnlyDirectoriesButNotWhatItsLinksPointTo() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside"), "keep");
        Path keptDir = Files.createDirectories(tmp.resolve("kept-dir"));
        Files.writeString(keptDir.resolve("f"), "keep");
        Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file"), "x");
        Files.createSymbolicLink(tree.resolve("to-file"), outside);
        Files.createSymbolicLink(tree.resolve("to-dir"), keptDir);
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-xr-xr-x"));

        TreeDeletion.deleteQuietly(tmp.resolve("tree"));

        assertThat(tmp.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("keep");
        assertThat(keptDir.resolve("f")).hasContent("keep");
    }

    @Test
    void deletesAFileOrALinkItself() throws Exception {
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("f"), "keep");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        Path file = Files.writeString(tmp.resolve("file"), "x");

        TreeDeletion.deleteQuietly(link);
        TreeDeletion.deleteQuietly(file);

        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(file).doesNotExist();
        assertThat(target.resolve("f")).hasContent("keep");
    }

    @Test
    void nullAndMissingPathsAreNoOps() {
        TreeDeletion.deleteQuietly(null);
        TreeDeletion.deleteQuietly(tmp.resolve("missing"));
        assertThat(tmp).isEmptyDirectory();
    }
}
