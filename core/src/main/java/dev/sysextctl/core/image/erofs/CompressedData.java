package dev.sysextctl.core.image.erofs;

import dev.sysextctl.core.image.squashfs.Lz4Decompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of a compressed erofs file (data layouts 1, full indexes, and 3, compact indexes), as erofs-utils 1.5
 * writes it with {@code -zlz4} or {@code -zlz4hc}.
 *
 * <p>The file is cut into logical clusters (lclusters) of one block; each has an index entry whose type says whether
 * an extent starts in it (HEAD: lz4-compressed, PLAIN: stored) and where ({@code clusterofs}), or whether it
 * continues the extent before (NONHEAD). An extent runs from its head to the next head (or to the end of the
 * file) and decompresses from one physical cluster (pcluster): one block, or with big pclusters the number of
 * blocks the first NONHEAD lcluster after the head records (CBLKCNT). Compact indexes pack 2 (4-byte) or 16
 * (2-byte) entries with a base block address at the end of each pack; a head's block is that base plus the blocks
 * of the heads before it in the pack. With tail packing, the last extent's pcluster lies inline, right after the
 * index pack of the file's last lcluster. lz4 data is right-aligned in its pcluster after zero padding
 * ({@code LZ4_0PADDING}) and must decompress to exactly its extent's length; without that feature it is left-aligned
 * and the extent is the first bytes it decompresses to.
 *
 * <p>This reads the indexes in order, once, rather than mapping offsets one at a time as the kernel does; every
 * index, block address and length is checked against the image and the file size before it is used.
 */
final class CompressedData {
    private static final int TYPE_PLAIN = 0;
    private static final int TYPE_HEAD = 1;
    private static final int TYPE_NONHEAD = 2;
    private static final int ADVISE_COMPACTED_2B = 0x1;
    private static final int ADVISE_BIG_PCLUSTER_1 = 0x2;
    private static final int ADVISE_BIG_PCLUSTER_2 = 0x4;
    private static final int ADVISE_INLINE_PCLUSTER = 0x8;
    private static final int ADVISE_KNOWN = 0xf;
    private static final int D0_CBLKCNT = 1 << 11;

    private final ErofsImage image;
    private final ErofsInode inode;
    private final String what;
    private int lclusterBits;
    private int advise;
    private int idataSize;
    /** The index entries, one per lcluster: type, {@code lo} (clusterofs of a head, delta or CBLKCNT otherwise). */
    private int[] types;
    private int[] los;
    /** The block address of each head lcluster's pcluster (-1 for the others). */
    private long[] blocks;
    /** Where the inline (tail-packed) pcluster starts: after the index entry (or pack) of the last lcluster. */
    private long inlineAt;

    private record Extent(long start, int type, long pcluster, long pclusterLength, boolean inline) {
    }

    private CompressedData(ErofsImage image, ErofsInode inode) {
        this.image = image;
        this.inode = inode;
        this.what = "compressed inode " + inode.nid();
    }

    static byte[] read(ErofsImage image, ErofsInode inode) throws IOException {
        return new CompressedData(image, inode).read();
    }

    private ErofsFormatException corrupt(String message) {
        return new ErofsFormatException(what + " " + message);
    }

    private byte[] read() throws IOException {
        long size = inode.size();
        byte[] out = new byte[(int) size];
        if (size == 0) {
            return out;
        }
        readHeader();
        long lcluster = 1L << lclusterBits;
        long count = (size + lcluster - 1) >> lclusterBits;
        if (inode.layout() == ErofsInode.COMPRESSED_FULL) {
            readFullIndexes((int) count);
        } else {
            readCompactIndexes((int) count);
        }
        List<Extent> extents = extents((int) count);
        for (int i = 0; i < extents.size(); i++) {
            Extent e = extents.get(i);
            long end = i + 1 < extents.size() ? extents.get(i + 1).start() : size;
            decode(e, (int) (end - e.start()), out);
        }
        return out;
    }

    private void readHeader() throws IOException {
        boolean headerless = inode.layout() == ErofsInode.COMPRESSED_FULL
                && !image.has(ErofsImage.INCOMPAT_BIG_PCLUSTER) && !image.has(ErofsImage.INCOMPAT_ZTAILPACKING);
        if (headerless) {
            lclusterBits = image.blockBits();
            return;
        }
        ByteBuffer h = image.source().buffer(align8(inode.bodyEnd()), 8, what + "'s index header");
        idataSize = h.getShort(2) & 0xffff;
        advise = h.getShort(4) & 0xffff;
        int algorithms = h.get(6) & 0xff;
        lclusterBits = image.blockBits() + (h.get(7) & 7);
        if ((advise & ~ADVISE_KNOWN) != 0) {
            throw corrupt("has index features 0x" + Integer.toHexString(advise & ~ADVISE_KNOWN)
                    + " that erofs-utils 1.5 does not write");
        }
        if ((algorithms & 0xf) != 0) {
            throw corrupt("uses compression algorithm " + (algorithms & 0xf) + "; erofs-utils 1.5 writes lz4 (0)");
        }
        if (lclusterBits != image.blockBits()) {
            throw corrupt("has logical clusters of 2^" + lclusterBits + " bytes; erofs-utils 1.5 uses one block");
        }
        boolean big1 = (advise & ADVISE_BIG_PCLUSTER_1) != 0;
        boolean big2 = (advise & ADVISE_BIG_PCLUSTER_2) != 0;
        if (big1 != big2 && inode.layout() == ErofsInode.COMPRESSED_COMPACT) {
            throw corrupt("has inconsistent big pcluster flags");
        }
        if (big1 && !image.has(ErofsImage.INCOMPAT_BIG_PCLUSTER)) {
            throw corrupt("uses big pclusters, which the superblock does not enable");
        }
        if ((advise & ADVISE_INLINE_PCLUSTER) != 0 && !image.has(ErofsImage.INCOMPAT_ZTAILPACKING)) {
            throw corrupt("uses tail packing, which the superblock does not enable");
        }
    }

    private static long align8(long v) {
        return (v + 7) & ~7L;
    }

    /** Full (8-byte) indexes: advise, clusterofs, then a block address (heads) or two deltas (non-heads). */
    private void readFullIndexes(int count) throws IOException {
        long base = align8(inode.bodyEnd()) + 16;
        ByteBuffer b = image.source().buffer(base, (long) count * 8, what + "'s indexes");
        allocate(count);
        for (int i = 0; i < count; i++) {
            int type = b.getShort(i * 8) & 3;
            types[i] = type;
            if (type == TYPE_NONHEAD) {
                los[i] = b.getShort(i * 8 + 4) & 0xffff;
            } else {
                los[i] = b.getShort(i * 8 + 2) & 0xffff;
                blocks[i] = b.getInt(i * 8 + 4) & 0xffffffffL;
            }
        }
        inlineAt = base + (long) count * 8;
    }

    private void allocate(int count) {
        types = new int[count];
        los = new int[count];
        blocks = new long[count];
        java.util.Arrays.fill(blocks, -1);
    }

    /**
     * Compact indexes: 4-byte entries up to a 32-byte boundary, then (with COMPACTED_2B) 2-byte entries in packs of
     * 16, then 4-byte entries again; each pack ends with the base block address of its heads.
     */
    private void readCompactIndexes(int count) throws IOException {
        long ebase = align8(inode.bodyEnd()) + 8;
        int initial4 = (int) ((32 - ebase % 32) / 4);
        if (initial4 == 8) {
            initial4 = 0;
        }
        int compact2 = 0;
        if ((advise & ADVISE_COMPACTED_2B) != 0 && initial4 < count) {
            compact2 = (count - initial4) / 16 * 16;
        }
        allocate(count);
        // the three runs: [0, a) 4-byte, [a, a + c) 2-byte, [a + c, count) 4-byte
        int a = Math.min(initial4, count);
        long pos = ebase;
        pos = readPacks(pos, 0, a, 2);
        pos = readPacks(pos, a, a + compact2, 16);
        inlineAt = readPacks(pos, a + compact2, count, 2);
    }

    /** Reads entries {@code [from, to)} in packs of {@code vcnt} starting at {@code pos}; returns the end. */
    private long readPacks(long pos, int from, int to, int vcnt) throws IOException {
        if (from >= to) {
            return pos;
        }
        int packSize = vcnt == 2 ? 8 : 32;
        int encodeBits = (packSize - 4) * 8 / vcnt;
        int packs = (to - from + vcnt - 1) / vcnt;
        ByteBuffer b = image.source().buffer(pos, (long) packs * packSize, what + "'s indexes");
        boolean big = (advise & ADVISE_BIG_PCLUSTER_1) != 0;
        int lomask = (1 << lclusterBits) - 1;
        for (int p = 0; p < packs; p++) {
            int packStart = p * packSize;
            long base = b.getInt(packStart + packSize - 4) & 0xffffffffL;
            int n = Math.min(vcnt, to - from - p * vcnt);
            int[] type = new int[vcnt];
            int[] lo = new int[vcnt];
            for (int i = 0; i < vcnt; i++) {
                int bit = encodeBits * i;
                int v = b.getInt(packStart + bit / 8) >>> (bit & 7);
                lo[i] = v & lomask;
                type[i] = (v >>> lclusterBits) & 3;
            }
            for (int i = 0; i < n; i++) {
                int lcn = from + p * vcnt + i;
                types[lcn] = type[i];
                los[lcn] = lo[i];
                if (type[i] == TYPE_PLAIN || type[i] == TYPE_HEAD) {
                    blocks[lcn] = base + blocksBefore(type, lo, i, big);
                }
            }
        }
        return pos + (long) packs * packSize;
    }

    /**
     * How many blocks the pack's heads before entry {@code i} take after the base address. Without big pclusters
     * every earlier head takes one block and the base is one before the first. With big pclusters a head followed
     * by a CBLKCNT entry takes that many blocks, any other head one; a non-head run is skipped back to its head.
     */
    private int blocksBefore(int[] type, int[] lo, int i, boolean big) throws ErofsFormatException {
        int n = big ? 0 : 1;
        int j = i;
        while (j > 0) {
            j--;
            if (type[j] == TYPE_NONHEAD) {
                if (big) {
                    if ((lo[j] & D0_CBLKCNT) != 0) {
                        j--;
                        n += lo[j + 1] & ~D0_CBLKCNT;
                        continue;
                    }
                    if (lo[j] <= 1) {
                        throw corrupt("has a non-head index without a block count");
                    }
                    j -= lo[j] - 2;
                    continue;
                }
                j -= lo[j];
                if (j >= 0) {
                    n++;
                }
                continue;
            }
            n++;
        }
        return n;
    }

    /** The extents, in order: one per head lcluster whose start lies inside the file. */
    private List<Extent> extents(int count) throws IOException {
        long lcluster = 1L << lclusterBits;
        boolean big = (advise & ADVISE_BIG_PCLUSTER_1) != 0;
        List<Extent> out = new ArrayList<>();
        for (int lcn = 0; lcn < count; lcn++) {
            int type = types[lcn];
            if (type == TYPE_NONHEAD) {
                if (lcn == 0) {
                    throw corrupt("does not start with a head index");
                }
                continue;
            }
            if (type != TYPE_PLAIN && type != TYPE_HEAD) {
                throw corrupt("has an index of the reserved type 3 at logical cluster " + lcn);
            }
            if (los[lcn] >= lcluster) {
                throw corrupt("has a cluster offset " + los[lcn] + " past its logical cluster");
            }
            if (lcn == 0 && los[lcn] != 0) {
                throw corrupt("has its first extent starting at " + los[lcn] + ", not 0");
            }
            long start = (long) lcn * lcluster + los[lcn];
            if (start >= inode.size()) {
                continue;
            }
            long pclusterLength = lcluster;
            if (big && type == TYPE_HEAD && lcn + 1 < count && types[lcn + 1] == TYPE_NONHEAD) {
                int lo = los[lcn + 1];
                if ((lo & D0_CBLKCNT) == 0 || (lo & ~D0_CBLKCNT) == 0) {
                    throw corrupt("has no compressed block count after the head at logical cluster " + lcn);
                }
                pclusterLength = (long) (lo & ~D0_CBLKCNT) << lclusterBits;
            }
            out.add(new Extent(start, type, blocks[lcn] << image.blockBits(), pclusterLength, false));
        }
        if ((advise & ADVISE_INLINE_PCLUSTER) != 0 && !out.isEmpty()) {
            Extent last = out.remove(out.size() - 1);
            if (idataSize == 0 || (inlineAt & (image.blockSize() - 1)) + idataSize > image.blockSize()) {
                throw corrupt("has an inline tail of " + idataSize + " bytes that does not fit its block");
            }
            out.add(new Extent(last.start(), last.type(), inlineAt, idataSize, true));
        }
        return out;
    }

    private void decode(Extent e, int length, byte[] out) throws IOException {
        byte[] raw = image.source().read(e.pcluster(), e.pclusterLength(), what + "'s data");
        if (e.type() == TYPE_PLAIN) {
            if (length > raw.length || raw.length > image.blockSize()) {
                throw corrupt("has a stored extent of " + length + " bytes in a " + raw.length + "-byte cluster");
            }
            System.arraycopy(raw, 0, out, (int) e.start(), length);
            return;
        }
        // with zero padding the lz4 data ends at the cluster's end and decodes to exactly the extent; without it
        // (full indexes written with -Elegacy-compress) it starts at the cluster's start and the extent is a prefix
        boolean padded = image.has(ErofsImage.INCOMPAT_LZ4_0PADDING);
        int margin = 0;
        while (padded && margin < raw.length && raw[margin] == 0) {
            margin++;
        }
        if (margin == raw.length) {
            throw corrupt("has an empty compressed cluster at offset " + e.pcluster());
        }
        byte[] extent = new byte[length];
        int n;
        try {
            Lz4Decompressor lz4 = new Lz4Decompressor();
            n = padded ? lz4.decompress(raw, margin, raw.length - margin, extent, length)
                    : lz4.decompressPrefix(raw, 0, raw.length, extent, length);
        } catch (IOException ex) {
            throw corrupt("has a bad lz4 cluster at offset " + e.pcluster() + ": " + ex.getMessage());
        }
        if (n != length) {
            throw corrupt("has an lz4 cluster at offset " + e.pcluster() + " that decompresses to " + n
                    + " bytes instead of " + length);
        }
        System.arraycopy(extent, 0, out, (int) e.start(), length);
    }
}
