package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory seen as an image: {@code lstat} answers what the path itself is, and the tree of a mount sysextctl made
 * ({@link DirectoryImageFs#readOnlyMount}) is looked at once per entry.
 */
class DirectoryImageFsTest {
    @TempDir
    Path tmp;

    private Path tree() throws Exception {
        Path root = tmp.resolve("image");
        Files.createDirectories(root.resolve("usr/lib/extension-release.d"));
        Files.writeString(root.resolve("usr/lib/extension-release.d/extension-release.a"), "ID=_any\n");
        Files.createSymbolicLink(root.resolve("usr/lib64"), Path.of("lib"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere"));
        return root;
    }

    @Test
    void lstatTellsFilesDirectoriesAndLinksAndIsEmptyForWhatIsNotThere() throws Exception {
        Path root = tree();
        for (DirectoryImageFs fs : List.of(new DirectoryImageFs(root), DirectoryImageFs.readOnlyMount(root))) {
            assertThat(fs.lstat("").orElseThrow().type()).isEqualTo(EntryType.DIRECTORY);
            assertThat(fs.lstat("usr/lib").orElseThrow().type()).isEqualTo(EntryType.DIRECTORY);
            TreeEntry release = fs.lstat("usr/lib/extension-release.d/extension-release.a").orElseThrow();
            assertThat(release.type()).isEqualTo(EntryType.FILE);
            assertThat(release.size()).isEqualTo(8);
            assertThat(fs.lstat("usr/lib64").orElseThrow().linkTarget()).isEqualTo("lib");
            assertThat(fs.lstat("dangling").orElseThrow().type()).isEqualTo(EntryType.SYMLINK);
            assertThat(fs.lstat("missing")).isEmpty();
            assertThat(fs.lstat("usr/missing/deeper")).isEmpty();
            // a file where a directory is expected (ENOTDIR): not there, as Files.exists says
            assertThat(fs.lstat("usr/lib/extension-release.d/extension-release.a/x")).isEmpty();
        }
    }

    @Test
    void aMountsTreeIsLookedAtOncePerEntryAndAPlainDirectoryEachTime() throws Exception {
        Path root = tree();
        DirectoryImageFs plain = new DirectoryImageFs(root);
        DirectoryImageFs mount = DirectoryImageFs.readOnlyMount(root);
        assertThat(mount.lstat("usr/lib64")).isPresent();
        assertThat(mount.lstat("opt")).isEmpty();
        List<TreeEntry> listed = mount.list("usr/lib");
        assertThat(listed).extracting(TreeEntry::path).containsExactly("usr/lib/extension-release.d");

        Files.delete(root.resolve("usr/lib64"));
        Files.createDirectories(root.resolve("opt/x"));
        Files.delete(root.resolve("usr/lib/extension-release.d/extension-release.a"));
        Files.delete(root.resolve("usr/lib/extension-release.d"));

        // what the mount's reading saw stays its answer (the entries of a listing included) ...
        assertThat(mount.lstat("usr/lib64")).isPresent();
        assertThat(mount.lstat("opt")).isEmpty();
        assertThat(mount.list("opt")).isEmpty();
        assertThat(mount.lstat("usr/lib/extension-release.d").map(TreeEntry::type)).contains(EntryType.DIRECTORY);
        // ... a plain directory is asked again
        assertThat(plain.lstat("usr/lib64")).isEmpty();
        assertThat(plain.lstat("opt").map(TreeEntry::type)).isEqualTo(Optional.of(EntryType.DIRECTORY));
        assertThat(plain.list("opt")).extracting(TreeEntry::path).containsExactly("opt/x");
        assertThat(plain.lstat("usr/lib/extension-release.d")).isEmpty();
    }
}
