package dev.sysextctl.core.image.erofs;

import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** Test helpers: erofs images made by the real mkfs.erofs, and byte patches of them. */
final class ErofsImages {
    private ErofsImages() {
    }

    /** {@code mkfs.erofs -T0 OPTIONS image tree}: the image's bytes. */
    static byte[] mkfs(Path tree, Path image, String options) throws IOException {
        Shell.shOk("mkfs.erofs --quiet -T0 " + options + " '" + image + "' '" + tree + "'");
        return Files.readAllBytes(image);
    }

    /** The offset of the only occurrence of {@code text} in {@code image}. */
    static int find(byte[] image, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        int found = -1;
        for (int i = 0; i + t.length <= image.length; i++) {
            int j = 0;
            while (j < t.length && image[i + j] == t[j]) {
                j++;
            }
            if (j == t.length) {
                if (found >= 0) {
                    throw new IllegalStateException(text + " occurs twice in the image");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalStateException(text + " does not occur in the image");
        }
        return found;
    }

    /**
     * Replaces the one occurrence of {@code placeholder} by {@code replacement} (the same length), and fixes the
     * superblock checksum (in a small image the metadata shares the superblock's block, which it covers).
     */
    static byte[] patch(byte[] image, String placeholder, byte[] replacement) {
        if (placeholder.getBytes(StandardCharsets.UTF_8).length != replacement.length) {
            throw new IllegalArgumentException("the replacement must have the placeholder's length");
        }
        byte[] out = image.clone();
        System.arraycopy(replacement, 0, out, find(image, placeholder), replacement.length);
        fixChecksum(out);
        return out;
    }

    /**
     * The offset of the directory entry (12 bytes: nid, name offset, type) named {@code name} in the directory
     * {@code dir} (whose entries fit in one block), found with the reader on the unpatched image.
     */
    static int direntOf(byte[] image, String dir, String name) throws IOException {
        ErofsInode in;
        try (ErofsImage erofs = ErofsImage.of(image)) {
            in = erofs.walk().stream().filter(e -> e.path().equals(dir)).findFirst().orElseThrow().inode();
        }
        int start = (int) (in.layout() == ErofsInode.FLAT_PLAIN ? in.union() * 4096 : in.bodyEnd());
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int count = (b.getShort(start + 8) & 0xffff) / 12;
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            int off = start + (b.getShort(start + i * 12 + 8) & 0xffff);
            if (java.util.Arrays.equals(image, off, off + n.length, n, 0, n.length)
                    && (i + 1 == count || (b.getShort(start + i * 12 + 20) & 0xffff) - (off - start) == n.length)) {
                return start + i * 12;
            }
        }
        throw new IllegalStateException(name + " is not an entry of " + dir);
    }

    /** Sets the superblock checksum to what the superblock now sums to (after a patch of it). */
    static void fixChecksum(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        if (image.length < 4096 || (b.getInt(1024 + 8) & 1) == 0) {
            return;
        }
        b.putInt(1024 + 4, 0);
        CRC32C crc = new CRC32C();
        crc.update(image, 1024, 4096 - 1024);
        b.putInt(1024 + 4, ~(int) crc.getValue());
    }
}
