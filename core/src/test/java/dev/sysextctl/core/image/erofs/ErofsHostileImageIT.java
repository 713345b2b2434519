package dev.sysextctl.core.image.erofs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ErofsImageFs;
import dev.sysextctl.testing.Requires;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images made by the real mkfs.erofs, then patched the way an attacker would: every defect is refused with one
 * {@link ErofsFormatException} line naming it, and nothing is written anywhere.
 */
@Requires(tools = "mkfs.erofs")
class ErofsHostileImageIT {
    private static final String PLACEHOLDER_DIR = "placeholder-directory-name";

    @TempDir
    Path tmp;
    Path tree;
    Path canary;

    @BeforeEach
    void tree() throws IOException {
        tree = tmp.resolve("tree");
        canary = Files.createDirectories(tmp.resolve("canary"));
        Files.createDirectories(tree.resolve("usr/lib/" + PLACEHOLDER_DIR + "/inner"));
        Files.createDirectories(tree.resolve("usr/lib/extension-release.d"));
        StringBuilder release = new StringBuilder("ID=_any\n");
        for (int i = 0; i < 300; i++) {
            release.append("# a comment long enough to make the file compressed, line ").append(i).append('\n');
        }
        Files.writeString(tree.resolve("usr/lib/extension-release.d/extension-release.hostile"), release);
        Files.writeString(tree.resolve("usr/lib/" + PLACEHOLDER_DIR + "/inner/file"), "x".repeat(20000));
    }

    private byte[] image(String options) throws IOException {
        return ErofsImages.mkfs(tree, tmp.resolve("image-" + System.nanoTime() + ".raw"), options);
    }

    private static ErofsFormatException refusal(byte[] image) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (ErofsImage erofs = ErofsImage.of(image)) {
                for (ErofsImage.Entry e : erofs.walk()) {
                    if (e.inode().type() == dev.sysextctl.core.tree.EntryType.FILE) {
                        erofs.read(e.inode());
                    }
                }
            }
        });
        assertThat(t).isInstanceOf(ErofsFormatException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return (ErofsFormatException) t;
    }

    @Test
    void anEntryNamedToClimbOutIsRefusedAndNothingIsWritten() throws Exception {
        String name = "../../../../../../../.." + canary + "/x";
        String placeholder = "p".repeat(name.length());
        Files.createDirectories(tree.resolve("usr/lib/" + placeholder));
        Files.writeString(tree.resolve("usr/lib/" + placeholder + "/payload"), "written by the image\n".repeat(500));
        byte[] good = image("-zlz4hc");
        byte[] bad = ErofsImages.patch(good, placeholder, name.getBytes(StandardCharsets.UTF_8));
        Path badImage = Files.write(tmp.resolve("hostile.raw"), bad);

        assertThat(refusal(bad).getMessage()).contains("has an entry named '" + name + "' (with a '/')");
        try (ErofsImageFs fs = new ErofsImageFs(badImage)) {
            assertThatThrownBy(() -> fs.read("usr/lib/extension-release.d/extension-release.hostile"))
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageStartingWith(badImage + " is not a readable erofs image: directory 'usr/lib' has an "
                            + "entry named '" + name + "'");
        }
        try (Stream<Path> s = Files.list(canary)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void dotDotAndEmptyAndNulNamesAreRefused() throws Exception {
        byte[] good = image("-zlz4hc");
        String n = PLACEHOLDER_DIR;
        byte[] dotdot = ErofsImages.patch(good, n, ("../" + "a".repeat(n.length() - 3)).getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(dotdot).getMessage()).contains("(with a '/')");
        // (a NUL inside a name that is not the last of its block: the last one ends at its first NUL)
        String first = "extension-release.d";
        byte[] nul = ErofsImages.patch(good, first, ("a\0" + "b".repeat(first.length() - 2))
                .getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(nul).getMessage()).contains("'a\\x00" + "b".repeat(first.length() - 2) + "' (with a NUL)");

        // an empty name: the entry's name offset equal to the next one's
        byte[] empty = good.clone();
        int dirent = ErofsImages.direntOf(good, "usr/lib", "extension-release.d");
        ByteBuffer b = ByteBuffer.wrap(empty).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(dirent + 8, b.getShort(dirent + 12 + 8));
        ErofsImages.fixChecksum(empty);
        assertThat(refusal(empty).getMessage()).isEqualTo("directory 'usr/lib' has an entry with an empty name");
    }

    @Test
    void aDirectoryCycleIsRefused() throws Exception {
        byte[] good = image("-zlz4hc");
        // usr/lib/placeholder/inner -> the inode of usr (an ancestor): a cycle
        byte[] cyclic = good.clone();
        ByteBuffer b = ByteBuffer.wrap(cyclic).order(ByteOrder.LITTLE_ENDIAN);
        long usr = b.getLong(ErofsImages.direntOf(good, "", "usr"));
        b.putLong(ErofsImages.direntOf(good, "usr/lib/" + PLACEHOLDER_DIR, "inner"), usr);
        ErofsImages.fixChecksum(cyclic);
        assertThat(refusal(cyclic).getMessage()).isEqualTo("directory 'usr/lib/" + PLACEHOLDER_DIR + "/inner' "
                + "is inode " + usr + ", already reached by another path (a directory cycle or a hard-linked "
                + "directory)");
    }

    @Test
    void aCorruptedSuperblockIsRefusedByItsChecksum() throws Exception {
        byte[] good = image("-zlz4hc");
        byte[] bad = good.clone();
        bad[1024 + 64] ^= 0x20; // the volume name: nothing reads it, only the checksum notices
        assertThat(refusal(bad).getMessage()).startsWith("its superblock checksum is 0x")
                .endsWith("(corrupted)");
        ErofsImages.fixChecksum(bad);
        try (ErofsImage erofs = ErofsImage.of(bad)) {
            assertThat(erofs.walk()).isNotEmpty();
        }
        // without the feature bit, the same change is not checked
        byte[] unchecked = image("-zlz4hc -Enosbcrc");
        unchecked[1024 + 64] ^= 0x20;
        try (ErofsImage erofs = ErofsImage.of(unchecked)) {
            assertThat(erofs.walk()).isNotEmpty();
        }
    }

    @Test
    void sizesAreBoundedByTheImage() throws Exception {
        byte[] good = image("-zlz4hc");
        ErofsInode file;
        try (ErofsImage erofs = ErofsImage.of(good)) {
            file = erofs.walk().stream().filter(e -> e.path().endsWith("inner/file")).findFirst().orElseThrow()
                    .inode();
        }
        // the file claims 4 GiB (compact inode: 32-bit size)
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt((int) file.offset() + 8, -1);
        ErofsImages.fixChecksum(huge);
        assertThat(refusal(huge).getMessage()).isEqualTo("inode " + file.nid() + " claims 4294967295 bytes, more "
                + "than the " + good.length + "-byte image can hold");
        // a truncated image: the superblock's block count says more
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 4096);
        assertThat(refusal(cut).getMessage()).endsWith("(truncated?)");
    }
}
