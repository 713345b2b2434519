package dev.sysextctl.core.image.ddi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * The 512-byte dm-verity superblock (format 1) that starts a verity hash partition, as veritysetup and
 * systemd-repart write it: signature {@code verity\0\0}, version 1, hash type 1, a UUID, the hash algorithm's
 * name, the data and hash block sizes, the number of data blocks and the salt (docs/ddi.md §3).
 */
public record VeritySuperblock(UUID uuid, String algorithm, int dataBlockSize, int hashBlockSize, long dataBlocks,
        byte[] salt) {
    public static final int SIZE = 512;
    private static final byte[] SIGNATURE = {'v', 'e', 'r', 'i', 't', 'y', 0, 0};

    public VeritySuperblock {
        salt = salt.clone();
        if (salt.length > 256) {
            throw new IllegalArgumentException("a verity salt holds at most 256 bytes");
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SIGNATURE);
        b.putInt(1); // superblock version
        b.putInt(1); // hash type: the normal one (salt before the data)
        b.order(ByteOrder.BIG_ENDIAN);
        b.putLong(uuid.getMostSignificantBits());
        b.putLong(uuid.getLeastSignificantBits());
        b.order(ByteOrder.LITTLE_ENDIAN);
        byte[] alg = algorithm.getBytes(StandardCharsets.US_ASCII);
        b.put(alg, 0, Math.min(alg.length, 31));
        b.position(64);
        b.putInt(dataBlockSize);
        b.putInt(hashBlockSize);
        b.putLong(dataBlocks);
        b.putShort((short) salt.length);
        b.position(88);
        b.put(salt);
        return b.array();
    }

    /** Parses the superblock at the start of {@code block}; refused when it is not one of format 1. */
    public static VeritySuperblock parse(byte[] block) throws DdiFormatException {
        if (block.length < SIZE || !Arrays.equals(Arrays.copyOf(block, 8), SIGNATURE)) {
            throw new DdiFormatException("its verity partition does not start with a dm-verity superblock");
        }
        ByteBuffer b = ByteBuffer.wrap(block, 0, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(8);
        int hashType = b.getInt(12);
        if (version != 1 || hashType != 1) {
            throw new DdiFormatException("its verity superblock has version " + version + " and hash type "
                    + hashType + "; sysextctl reads version 1, type 1");
        }
        ByteBuffer u = ByteBuffer.wrap(block, 16, 16);
        UUID uuid = new UUID(u.getLong(), u.getLong());
        String alg = new String(block, 32, 32, StandardCharsets.US_ASCII);
        int nul = alg.indexOf('\0');
        alg = nul < 0 ? alg : alg.substring(0, nul);
        int dbs = b.getInt(64);
        int hbs = b.getInt(68);
        long blocks = b.getLong(72);
        int saltSize = b.getShort(80) & 0xffff;
        if (saltSize > 256 || dbs < 512 || hbs < 512 || Integer.bitCount(dbs) != 1 || Integer.bitCount(hbs) != 1
                || dbs > (1 << 20) || hbs > (1 << 20) || blocks < 0) {
            throw new DdiFormatException("its verity superblock is malformed (block sizes " + dbs + "/" + hbs
                    + ", " + blocks + " data blocks, salt of " + saltSize + " bytes)");
        }
        return new VeritySuperblock(uuid, alg, dbs, hbs, blocks, Arrays.copyOfRange(block, 88, 88 + saltSize));
    }
}
