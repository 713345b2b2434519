package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ErofsImageFs against images made by the real mkfs.erofs, compared with the tree they were made from. */
@Requires(root = true, tools = {"mkfs.erofs", "mknod"})
class ErofsImageFsIT {
    @TempDir
    Path tmp;
    Path src;

    @BeforeEach
    void tree() throws IOException {
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("usr/bin"));
        Files.createDirectories(src.resolve("usr/lib/many"));
        Files.createDirectories(src.resolve("opt/empty"));
        Files.writeString(src.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
        Files.writeString(src.resolve("usr/bin/empty"), "");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20000; i++) {
            big.append("line ").append(i).append(" of a compressible file\n");
        }
        Files.writeString(src.resolve("usr/lib/big.txt"), big);
        byte[] random = new byte[9000];
        new java.util.Random(7).nextBytes(random);
        Files.write(src.resolve("usr/lib/random.bin"), random);
        for (int i = 0; i < 300; i++) {
            Files.writeString(src.resolve("usr/lib/many/file-with-a-longish-name-" + i), "n" + i);
        }
        Files.createLink(src.resolve("usr/bin/hello-again"), src.resolve("usr/bin/hello"));
        Files.createSymbolicLink(src.resolve("usr/bin/hi"), Path.of("hello"));
        Files.createSymbolicLink(src.resolve("usr/bin/abs"), Path.of("/usr/lib/" + "x".repeat(200)));
        Shell.shOk("cd '" + src + "' && chmod 4755 usr/bin/hello && chmod 1777 opt/empty && chmod 2750 usr/lib "
                + "&& mknod usr/lib/wh c 0 0 && mknod usr/lib/blk b 7 300 && mkfifo usr/lib/fifo "
                + "&& chown 70000:1234 usr/lib/random.bin && chown 5:6 usr/bin/empty");
        for (String f : List.of("usr/bin/empty", "usr/lib/random.bin", "usr/lib/many/file-with-a-longish-name-1")) {
            xattr(src.resolve(f), "shared", "same value everywhere");
        }
        xattr(src.resolve("usr/bin/hello"), "extension-release.strict", "0");
        xattr(src.resolve("usr/lib"), "dir", "on a directory");
    }

    private static void xattr(Path p, String name, String value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
                .write(name, ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    private ErofsImageFs image(String... mkfsOptions) {
        Path img = tmp.resolve("img-" + mkfsOptions.length + ".raw");
        Shell.shOk("mkfs.erofs --quiet " + String.join(" ", mkfsOptions) + " '" + img + "' '" + src + "'");
        return new ErofsImageFs(img);
    }

    @Test
    void everyEntryMatchesTheSourceTree() throws Exception {
        for (String[] opts : List.of(new String[] {"-T0"}, new String[] {"-zlz4hc", "-T0"},
                new String[] {"-zlz4", "-T0", "-Eforce-inode-extended"})) {
            try (ErofsImageFs fs = image(opts); DirectoryImageFs dir = new DirectoryImageFs(src)) {
                Map<String, TreeEntry> expected = new HashMap<>();
                for (TreeEntry e : dir.walk()) {
                    expected.put(e.path(), e);
                }
                List<TreeEntry> actual = fs.walk();
                assertThat(actual).extracting(TreeEntry::path).containsExactlyInAnyOrderElementsOf(expected.keySet());
                for (TreeEntry a : actual) {
                    TreeEntry x = expected.get(a.path());
                    assertThat(a.type()).as(a.path()).isEqualTo(x.type());
                    assertThat(a.mode()).as(a.path()).isEqualTo(x.mode());
                    assertThat(a.uid()).as(a.path()).isEqualTo(x.uid());
                    assertThat(a.gid()).as(a.path()).isEqualTo(x.gid());
                    assertThat(a.size()).as(a.path()).isEqualTo(x.size());
                    assertThat(a.linkTarget()).as(a.path()).isEqualTo(x.linkTarget());
                    assertThat(a.devMajor()).as(a.path()).isEqualTo(x.devMajor());
                    assertThat(a.devMinor()).as(a.path()).isEqualTo(x.devMinor());
                    assertThat(a.mtime()).as(a.path()).isZero();
                    if (a.type() == EntryType.FILE) {
                        assertThat(fs.read(a.path())).as(a.path()).isEqualTo(Files.readAllBytes(src.resolve(a.path())));
                    }
                    if (a.type() == EntryType.FILE || a.type() == EntryType.DIRECTORY) {
                        assertThat(fs.xattrs(a.path())).as(a.path()).isEqualTo(dir.xattrs(a.path()));
                    }
                }
            }
        }
    }

    @Test
    void listAndLstatWorkLikeTheDirectoryView() throws Exception {
        try (ErofsImageFs fs = image("-zlz4hc", "-T5", "--all-root")) {
            assertThat(fs.list("usr/bin")).extracting(TreeEntry::name)
                    .containsExactly("abs", "empty", "hello", "hello-again", "hi");
            assertThat(fs.lstat("usr/bin/hi")).get().extracting(TreeEntry::linkTarget).isEqualTo("hello");
            assertThat(fs.lstat("usr/lib/random.bin")).get().extracting(TreeEntry::uid, TreeEntry::mtime)
                    .containsExactly(0, 5L);
            assertThat(fs.lstat("nope")).isEmpty();
            assertThat(fs.list("usr/lib/many")).hasSize(300);
            assertThat(ImagePathResolver.resolve(fs, "usr/bin/hi")).get().extracting(TreeEntry::path)
                    .isEqualTo("usr/bin/hello");
        }
    }

    @Test
    void aFileThatIsNotErofsIsReportedWithWhatToDo() throws Exception {
        Path junk = Files.write(tmp.resolve("junk.raw"), new byte[8192]);
        try (ErofsImageFs fs = new ErofsImageFs(junk)) {
            assertThatThrownBy(fs::walk).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("is not a readable erofs image").hasMessageContaining("fsck.erofs");
        }
    }
}
