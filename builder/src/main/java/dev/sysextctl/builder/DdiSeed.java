package dev.sysextctl.builder;

import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The seed of a DDI built without {@code --seed} (docs/ddi.md §2): a version 4 UUID made from the SHA-256 of the
 * image's manifest, which the build knows before the file system is written: the file system and its compression,
 * the source date epoch, and every entry of the image as it goes into it (path, type, mode, owner, size, link
 * target, device numbers, extended attributes) with the extension-release's bytes. No file's content is read: the
 * salt and the verity superblock's UUID come from this seed, so {@code veritysetup} starts as soon as the file
 * system is made; the root hash, and with it the partition UUIDs and the disk GUID, still depend on every byte.
 */
public final class DdiSeed {
    private static final byte[] LABEL = "sysextctl ddi seed 1".getBytes(StandardCharsets.US_ASCII);

    private DdiSeed() {
    }

    /**
     * The seed of an image.
     *
     * @param fileSystem the file system inside the DDI (erofs or squashfs)
     * @param compression its compression
     * @param epoch the source date epoch (every time in the image)
     * @param entries the image's entries as they go into it (normalised: owners, modes and times as written)
     * @param release the extension-release file's bytes
     */
    public static UUID of(BuildFormat fileSystem, Compression compression, long epoch, List<TreeEntry> entries,
            byte[] release) {
        Manifest m = new Manifest();
        m.bytes(LABEL);
        m.text(fileSystem.cliName());
        m.text(compression.cliName());
        m.number(epoch);
        m.bytes(release);
        m.number(entries.size());
        for (TreeEntry e : entries) {
            m.text(e.path());
            m.text(e.type().name());
            m.number(e.mode());
            m.number(e.uid());
            m.number(e.gid());
            m.number(e.size());
            m.text(e.linkTarget() == null ? "" : e.linkTarget());
            m.number(e.devMajor());
            m.number(e.devMinor());
            m.number(e.xattrs().size());
            for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
                m.text(x.getKey());
                m.text(x.getValue());
            }
        }
        ByteBuffer b = ByteBuffer.wrap(m.digest());
        return new UUID(b.getLong() & ~0xf000L | 0x4000L, b.getLong() & 0x3fffffffffffffffL | 0x8000000000000000L);
    }

    /** The manifest's bytes, each field length-prefixed (no two manifests give the same bytes), into SHA-256. */
    private static final class Manifest {
        private final MessageDigest md;
        private final ByteBuffer n = ByteBuffer.allocate(Long.BYTES);

        Manifest() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available", e);
            }
        }

        void number(long v) {
            n.clear();
            n.putLong(v);
            md.update(n.array());
        }

        void bytes(byte[] b) {
            number(b.length);
            md.update(b);
        }

        void text(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] digest() {
            return md.digest();
        }
    }
}
