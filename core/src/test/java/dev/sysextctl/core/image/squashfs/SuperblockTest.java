package dev.sysextctl.core.image.squashfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The superblock checks the kernel makes before mounting, on synthetic superblocks. */
class SuperblockTest {
    private static final long SIZE = 8192;

    @Test
    void aConsistentSuperblockParses() throws Exception {
        Superblock s = Superblock.parse(valid().array(), SIZE);
        assertThat(s.compression()).isEqualTo(SquashfsCompressor.ZSTD);
        assertThat(s.blockSize()).isEqualTo(131072);
        assertThat(s.hasXattrs()).isFalse();
        assertThat(s.inodeTableStart()).isEqualTo(1000);
    }

    @Test
    void eachInconsistencyIsNamed() {
        assertRefused(b -> b.putInt(0, 0x12345678), SquashfsFormatException.class, "no squashfs magic");
        assertRefused(b -> b.putInt(0, Integer.reverseBytes(Superblock.MAGIC)), UnsupportedSquashfsException.class,
                "big-endian");
        assertRefused(b -> b.putShort(28, (short) 3), UnsupportedSquashfsException.class, "squashfs 3.0");
        assertRefused(b -> b.putInt(12, 65536), SquashfsFormatException.class, "block size");
        assertRefused(b -> b.putInt(12, 3 << 12).putShort(22, (short) 13), SquashfsFormatException.class,
                "block size");
        assertRefused(b -> b.putInt(12, 2048).putShort(22, (short) 11), SquashfsFormatException.class, "block size");
        assertRefused(b -> b.putShort(20, (short) 9), UnsupportedSquashfsException.class, "unknown compressor");
        assertRefused(b -> b.putLong(40, SIZE + 1), SquashfsFormatException.class, "truncated?");
        assertRefused(b -> b.putShort(26, (short) 0), SquashfsFormatException.class, "no uid/gid table");
        assertRefused(b -> b.putLong(64, 3000), SquashfsFormatException.class, "inode table does not come before");
        assertRefused(b -> b.putLong(48, SIZE), SquashfsFormatException.class, "uid/gid table starts");
        assertRefused(b -> b.putLong(56, 5), SquashfsFormatException.class, "xattr table starts");
        assertRefused(b -> b.putLong(32, 8192), SquashfsFormatException.class, "root inode");
        assertRefused(b -> b.putLong(32, 2000L << 16), SquashfsFormatException.class, "root inode");
        assertThatThrownBy(() -> Superblock.parse(new byte[10], 10)).hasMessageContaining("shorter");
    }

    private static void assertRefused(java.util.function.Consumer<ByteBuffer> change, Class<?> type, String why) {
        ByteBuffer b = valid();
        change.accept(b);
        assertThatThrownBy(() -> Superblock.parse(b.array(), SIZE)).isInstanceOf(type).hasMessageContaining(why);
    }

    private static ByteBuffer valid() {
        ByteBuffer b = ByteBuffer.allocate(Superblock.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, Superblock.MAGIC).putInt(4, 10).putInt(12, 131072).putInt(16, 1).putShort(20, (short) 6)
                .putShort(22, (short) 17).putShort(26, (short) 1).putShort(28, (short) 4).putShort(30, (short) 0)
                .putLong(32, 0x20L).putLong(40, 6000).putLong(48, 5000).putLong(56, -1).putLong(64, 1000)
                .putLong(72, 2000).putLong(80, 4000).putLong(88, -1);
        return b;
    }
}
