package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hash tree against a straightforward recomputation of dm-verity's format 1 (sha256(salt ‖ block), 128 digests
 * per hash block, top level first after the superblock); veritysetup itself checks it in DdiPeersIT.
 */
class VerityHashTreeTest {
    @TempDir
    Path tmp;

    private static final byte[] SALT = new byte[32];

    static {
        Arrays.fill(SALT, (byte) 7);
    }

    private static byte[] h(byte[] block) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(SALT);
        md.update(block);
        return md.digest();
    }

    private VerityHashTree tree(byte[] data) throws Exception {
        Path f = tmp.resolve("data");
        Files.write(f, data);
        VeritySuperblock sb = new VeritySuperblock(new UUID(1, 2), "sha256", 4096, 4096, data.length / 4096, SALT);
        try (FileChannel ch = FileChannel.open(f)) {
            return VerityHashTree.compute(ch, 0, sb);
        }
    }

    @Test
    void oneDataBlockIsItsOwnRootAndTheAreaIsTheSuperblockAlone() throws Exception {
        byte[] data = new byte[4096];
        new Random(1).nextBytes(data);
        VerityHashTree t = tree(data);
        assertThat(t.rootHash()).isEqualTo(h(data));
        assertThat(t.hashArea()).hasSize(4096);
        assertThat(Arrays.copyOf(t.hashArea(), 8)).isEqualTo("verity\0\0".getBytes("US-ASCII"));
    }

    @Test
    void twoLevelsAreStoredTopFirstAndTheRootIsTheTopBlocksDigest() throws Exception {
        int blocks = 200; // level 0: 2 hash blocks, level 1: 1 block
        byte[] data = new byte[blocks * 4096];
        new Random(2).nextBytes(data);
        byte[] level0 = new byte[2 * 4096];
        for (int i = 0; i < blocks; i++) {
            System.arraycopy(h(Arrays.copyOfRange(data, i * 4096, (i + 1) * 4096)), 0, level0, i * 32, 32);
        }
        byte[] level1 = new byte[4096];
        System.arraycopy(h(Arrays.copyOfRange(level0, 0, 4096)), 0, level1, 0, 32);
        System.arraycopy(h(Arrays.copyOfRange(level0, 4096, 8192)), 0, level1, 32, 32);
        VerityHashTree t = tree(data);
        assertThat(t.hashArea()).hasSize(4 * 4096);
        assertThat(Arrays.copyOfRange(t.hashArea(), 4096, 8192)).as("top level first").isEqualTo(level1);
        assertThat(Arrays.copyOfRange(t.hashArea(), 8192, 16384)).as("then the level over the data")
                .isEqualTo(level0);
        assertThat(t.rootHash()).isEqualTo(h(level1));
    }

    @Test
    void theSuperblockHasVeritysetupsLayout() throws Exception {
        byte[] sb = new VeritySuperblock(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), "sha256", 4096,
                4096, 3, SALT).bytes();
        ByteBuffer b = ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(sb).hasSize(512);
        assertThat(b.getInt(8)).as("version").isEqualTo(1);
        assertThat(b.getInt(12)).as("hash type").isEqualTo(1);
        assertThat(sb[16]).isEqualTo((byte) 0x00);
        assertThat(sb[31]).isEqualTo((byte) 0xff);
        assertThat(new String(sb, 32, 6, "US-ASCII")).isEqualTo("sha256");
        assertThat(b.getInt(64)).isEqualTo(4096);
        assertThat(b.getInt(68)).isEqualTo(4096);
        assertThat(b.getLong(72)).isEqualTo(3);
        assertThat(b.getShort(80)).isEqualTo((short) 32);
        assertThat(Arrays.copyOfRange(sb, 88, 120)).isEqualTo(SALT);
        assertThat(VeritySuperblock.parse(sb).dataBlocks()).isEqualTo(3);
    }
}
