package dev.sysextctl.core.image.ddi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The dm-verity hash tree of a data area, computed in Java the way veritysetup computes it (format 1, sha256):
 * every data block is hashed as sha256(salt ‖ block); the digests are packed into hash blocks (128 per 4096-byte
 * block, zero-padded), which are hashed the same way level after level until one block is left, whose digest is
 * the root hash (one data block alone: its digest is the root hash). On disk the superblock comes first, then the
 * levels from the top one down to the one over the data (docs/ddi.md §3).
 *
 * @param rootHash the root hash
 * @param hashArea the verity partition's content: the superblock's block, then the hash blocks
 */
public record VerityHashTree(byte[] rootHash, byte[] hashArea) {
    public static final int BLOCK = 4096;
    private static final int DIGEST = 32;
    private static final int PER_BLOCK = BLOCK / DIGEST;
    private static final int CHUNK = 1 << 20;

    public VerityHashTree {
        rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    public String rootHashHex() {
        return HexFormat.of().formatHex(rootHash);
    }

    /**
     * Computes the tree over the {@code dataBlocks} 4096-byte blocks at {@code offset} of {@code in}, with the
     * superblock {@code sb} describing it.
     */
    public static VerityHashTree compute(FileChannel in, long offset, VeritySuperblock sb) throws IOException {
        return compute(in, offset, sb, false);
    }

    /**
     * Computes the tree; with {@code padShort} a source that ends inside the last block reads as zeros to the
     * block's end (a file system image being wrapped), else that is refused (a partition read back).
     */
    public static VerityHashTree compute(FileChannel in, long offset, VeritySuperblock sb, boolean padShort)
            throws IOException {
        if (sb.dataBlockSize() != BLOCK || sb.hashBlockSize() != BLOCK || !sb.algorithm().equals("sha256")) {
            throw new DdiFormatException("its verity tree uses " + sb.algorithm() + " with " + sb.dataBlockSize()
                    + "/" + sb.hashBlockSize() + "-byte blocks; sysextctl checks sha256 with 4096-byte blocks");
        }
        long dataBlocks = sb.dataBlocks();
        if (dataBlocks < 1) {
            throw new DdiFormatException("its verity superblock covers no data block");
        }
        byte[] salt = sb.salt();
        MessageDigest md = sha256();
        int levels = 0;
        while (7L * levels < 64 && ((dataBlocks - 1) >> (7L * levels)) != 0) {
            levels++;
        }
        long[] levelBlocks = new long[levels];
        long total = 1; // the superblock's block
        for (int i = levels - 1; i >= 0; i--) {
            levelBlocks[i] = (dataBlocks + (1L << (7 * (i + 1))) - 1) >> (7 * (i + 1));
            total += levelBlocks[i];
        }
        if (total * BLOCK > Integer.MAX_VALUE - 16) {
            throw new DdiFormatException("its verity tree would take " + total + " blocks, more than sysextctl holds");
        }
        byte[] area = new byte[(int) (total * BLOCK)];
        System.arraycopy(sb.bytes(), 0, area, 0, VeritySuperblock.SIZE);
        // where each level starts in the area: the top level first, the level over the data last
        long[] levelStart = new long[levels];
        long pos = 1;
        for (int i = levels - 1; i >= 0; i--) {
            levelStart[i] = pos;
            pos += levelBlocks[i];
        }
        if (levels == 0) {
            ByteBuffer one = ByteBuffer.allocate(BLOCK);
            readFully(in, one, offset, padShort);
            return new VerityHashTree(hash(md, salt, one.array(), 0), area);
        }
        // level 0: the digests of the data blocks
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        byte[] buf = chunk.array();
        int out = (int) (levelStart[0] * BLOCK);
        long done = 0;
        while (done < dataBlocks) {
            int n = (int) Math.min(CHUNK / BLOCK, dataBlocks - done);
            chunk.clear().limit(n * BLOCK);
            readFully(in, chunk, offset + done * BLOCK, padShort);
            for (int b = 0; b < n; b++) {
                md.update(salt);
                md.update(buf, b * BLOCK, BLOCK);
                digestInto(md, area, out);
                out += DIGEST;
            }
            done += n;
        }
        // the levels above: the digests of the blocks of the level below
        for (int i = 1; i < levels; i++) {
            int dst = (int) (levelStart[i] * BLOCK);
            int src = (int) (levelStart[i - 1] * BLOCK);
            for (long b = 0; b < levelBlocks[i - 1]; b++) {
                md.update(salt);
                md.update(area, src + (int) (b * BLOCK), BLOCK);
                digestInto(md, area, dst);
                dst += DIGEST;
            }
        }
        byte[] root = hash(md, salt, area, (int) (levelStart[levels - 1] * BLOCK));
        return new VerityHashTree(root, area);
    }

    /**
     * The root hash a stored hash area leads to (the digest of its top block), or null when the data is a single
     * block (the root is that block's digest and the area holds no hash block).
     */
    public static byte[] storedRoot(byte[] area, VeritySuperblock sb) {
        if (sb.dataBlocks() <= 1 || area.length < 2 * BLOCK) {
            return null;
        }
        return hash(sha256(), sb.salt(), area, BLOCK);
    }

    private static byte[] hash(MessageDigest md, byte[] salt, byte[] block, int off) {
        md.update(salt);
        md.update(block, off, BLOCK);
        return md.digest();
    }

    private static void digestInto(MessageDigest md, byte[] area, int at) {
        try {
            md.digest(area, at, DIGEST);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void readFully(FileChannel in, ByteBuffer b, long position, boolean padShort) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = in.read(b, pos);
            if (n < 0 && padShort) {
                java.util.Arrays.fill(b.array(), b.position(), b.limit(), (byte) 0);
                b.position(b.limit());
                return;
            }
            if (n < 0) {
                throw new DdiFormatException("its data partition ends at byte " + pos + ", before the "
                        + "blocks its verity superblock counts");
            }
            pos += n;
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
