package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.tools.Fallocate;
import dev.sysextctl.core.tools.Veritysetup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Wraps a squashfs or erofs image into a DDI laid out as {@code systemd-repart --make-ddi=sysext} lays one out
 * (docs/ddi.md): a GPT with the root partition of the architecture holding the file system, its dm-verity hash
 * partition (superblock and hash tree) and, when signed, its verity signature partition. Partitions start on
 * 4 KiB boundaries from sector 40; the data and verity partitions are read-only (GPT attribute bit 60).
 *
 * <p>Reproducible: the salt and the verity superblock's UUID derive from the seed, the data and verity partition
 * UUIDs are the two halves of the root hash, the disk and signature partition UUIDs derive from the seed and the
 * root hash. The same image, architecture, seed and key give the same bytes (an RSA signature is deterministic).
 */
public final class DdiWriter {
    private static final int BLOCK = VerityHashTree.BLOCK;
    private static final int DIGEST = 32;
    private static final int PER_HASH_BLOCK = BLOCK / DIGEST;
    /** Sectors before the first partition: the MBR, the GPT header and entries (34), rounded up to 4 KiB. */
    static final long FIRST_LBA = 40;

    private DdiWriter() {
    }

    /**
     * What was written.
     *
     * @param architecture the architecture of the root partition
     * @param rootHash the verity root hash (hex)
     * @param signed whether a signature partition was written
     * @param gpt the partition table
     */
    public record Result(String architecture, String rootHash, boolean signed, Gpt gpt) {
    }

    /**
     * Writes the DDI to {@code output} (created or truncated; the caller renames it into place).
     *
     * @param fileSystem the squashfs or erofs image to put in the root partition
     * @param architecture systemd's name of the image's architecture
     * @param seed what the salt and the UUIDs not taken from the root hash derive from
     * @param signer signs the root hash; null for an unsigned DDI
     */
    public static Result write(Path fileSystem, Path output, String architecture, UUID seed, DdiSigner signer)
            throws OperationFailedException, UsageException {
        return write(fileSystem, output, architecture, () -> seed, signer, null);
    }

    /** Gives the seed; asked once the copy of the file system into the DDI has started (it may read the file system). */
    @FunctionalInterface
    public interface SeedSource {
        UUID seed() throws OperationFailedException;
    }

    /**
     * Writes the DDI to {@code output} (created or truncated; the caller renames it into place), the hash tree
     * computed by {@code veritysetup} when given (the same bytes as Java's, about eight times faster than Java's
     * SHA-256 under the launcher's C1 compiler; docs/ddi.md §8), else, or when it fails or is missing, in Java. The
     * file system is copied into its partition by the kernel ({@link FileChannel#transferTo}) while the seed and the
     * tree are computed.
     *
     * @param fileSystem the squashfs or erofs image to put in the root partition
     * @param architecture systemd's name of the image's architecture
     * @param seed gives what the salt and the UUIDs not taken from the root hash derive from
     * @param signer signs the root hash; null for an unsigned DDI
     * @param veritysetup computes the hash tree natively; null for Java
     */
    public static Result write(Path fileSystem, Path output, String architecture, SeedSource seed, DdiSigner signer,
            Veritysetup veritysetup) throws OperationFailedException, UsageException {
        return write(fileSystem, output, architecture, seed, signer, veritysetup, true);
    }

    /**
     * {@link #write(Path, Path, String, SeedSource, DdiSigner, Veritysetup)}, flushing the output to disk only when
     * {@code flush}: a caller that flushes it itself can read the finished DDI meanwhile (its checksum).
     */
    public static Result write(Path fileSystem, Path output, String architecture, SeedSource seed, DdiSigner signer,
            Veritysetup veritysetup, boolean flush) throws OperationFailedException, UsageException {
        type(architecture, PartitionTypes.Role.ROOT);
        try (FileChannel in = FileChannel.open(fileSystem, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long fsSize = in.size();
            if (fsSize == 0) {
                throw new OperationFailedException(fileSystem + " is empty; the file system image was not made");
            }
            long dataBlocks = (fsSize + BLOCK - 1) / BLOCK;
            long dataLba = FIRST_LBA;
            long dataSectors = dataBlocks * BLOCK / Gpt.SECTOR;
            DataCopy copy = DataCopy.start(in, fsSize, out, dataLba * Gpt.SECTOR);
            byte[] seedBytes;
            VerityHashTree tree;
            try {
                seedBytes = Gpt.guidBytes(seed.seed());
                VeritySuperblock sb = superblock(seedBytes, dataBlocks);
                tree = hashTree(fileSystem, in, sb, veritysetup, output);
            } finally {
                copy.finish();
            }
            byte[] sigContent = signer == null ? null : signer.sign(tree.rootHashHex()).json();
            Gpt.writeFully(out, ByteBuffer.wrap(tree.hashArea()), (dataLba + dataSectors) * Gpt.SECTOR);
            return lay(out, architecture, seedBytes, dataBlocks, tree, sigContent, flush);
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + output + ": " + AtomicFiles.describe(e)
                    + "; check that the directory is writable and has space");
        }
    }

    /**
     * Makes the DDI of the file system {@code image} in that file itself (docs/ddi.md §8): its last block zero-padded,
     * the hash area appended to it (by {@code veritysetup} writing into the file at {@code --hash-offset} when given,
     * else, or when that fails or gives another tree, by Java), the root hash signed, room for the partition table
     * inserted in front of the file system by {@code fallocate --insert-range} (nothing copied), then the signature and
     * the partition table written. Where the file system of {@code image} cannot insert (tmpfs, btrfs) or fallocate is
     * missing, the file system and hash area are copied by the kernel into a new file behind the table, which then
     * replaces {@code image}. The bytes are those of {@link #write(Path, Path, String, SeedSource, DdiSigner,
     * Veritysetup, boolean)} for the same file system, either way.
     *
     * @param image the squashfs or erofs image; becomes the DDI (on failure, its content is undefined: the caller
     *        removes it)
     * @param fallocate inserts room in front of the file system; null to copy instead
     * @param flush whether to flush the DDI to disk before returning
     */
    public static Result writeInPlace(Path image, String architecture, SeedSource seed, DdiSigner signer,
            Veritysetup veritysetup, Fallocate fallocate, boolean flush) throws OperationFailedException,
            UsageException {
        type(architecture, PartitionTypes.Role.ROOT);
        long head = FIRST_LBA * Gpt.SECTOR;
        try {
            long dataBlocks;
            byte[] seedBytes;
            VerityHashTree tree;
            try (FileChannel ch = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long fsSize = ch.size();
                if (fsSize == 0) {
                    throw new OperationFailedException(image + " is empty; the file system image was not made");
                }
                dataBlocks = (fsSize + BLOCK - 1) / BLOCK;
                zero(ch, dataBlocks * BLOCK); // the data partition's last block is zero-padded
                seedBytes = Gpt.guidBytes(seed.seed());
                VeritySuperblock sb = superblock(seedBytes, dataBlocks);
                tree = appendedHashTree(image, ch, sb, veritysetup);
            }
            byte[] sigContent = signer == null ? null : signer.sign(tree.rootHashHex()).json();
            long content = dataBlocks * BLOCK + tree.hashArea().length;
            if (!inserted(image, head, content, fallocate)) {
                shiftByCopy(image, head, content);
            }
            try (FileChannel out = FileChannel.open(image, StandardOpenOption.WRITE)) {
                return lay(out, architecture, seedBytes, dataBlocks, tree, sigContent, flush);
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + image + ": " + AtomicFiles.describe(e)
                    + "; check that the directory is writable and has space");
        }
    }

    private static VeritySuperblock superblock(byte[] seedBytes, long dataBlocks) {
        return new VeritySuperblock(uuidV4(hmac(seedBytes, "verity-superblock")), "sha256", BLOCK, BLOCK, dataBlocks,
                hmac(seedBytes, "verity-salt"));
    }

    /**
     * The hash area of the first {@code sb.dataBlocks()} blocks of {@code image}, appended to them: by veritysetup when
     * given and its result is {@link #consistent}, else by Java.
     */
    private static VerityHashTree appendedHashTree(Path image, FileChannel ch, VeritySuperblock sb, Veritysetup tool)
            throws IOException {
        long dataBytes = sb.dataBlocks() * BLOCK;
        if (tool != null) {
            try {
                byte[] root = HexFormat.of().parseHex(tool.formatAppended(image, sb.dataBlocks(), sb.salt(),
                        sb.uuid()));
                long length = ch.size() - dataBytes;
                if (length > 0 && length <= Integer.MAX_VALUE - BLOCK) {
                    byte[] area = Gpt.readFully(ch, dataBytes, (int) length).array();
                    if (consistent(area, sb, root)) {
                        return new VerityHashTree(root, area);
                    }
                }
            } catch (OperationFailedException e) {
                // not installed, or failed (its stderr is in -vv): Java computes the same tree
            }
        }
        ch.truncate(dataBytes);
        VerityHashTree tree = VerityHashTree.compute(ch, 0, sb, true);
        Gpt.writeFully(ch, ByteBuffer.wrap(tree.hashArea()), dataBytes);
        return tree;
    }

    /**
     * Whether {@code head} bytes of hole were inserted in front of the {@code content} bytes of {@code image}; false,
     * with the file as it was, where fallocate is not given, missing or refused.
     */
    private static boolean inserted(Path image, long head, long content, Fallocate fallocate) throws IOException,
            OperationFailedException {
        if (fallocate == null) {
            return false;
        }
        try {
            fallocate.insertRange(image, 0, head);
        } catch (OperationFailedException e) {
            // a file system without FALLOC_FL_INSERT_RANGE, or no fallocate (its stderr is in -vv): copied instead
        }
        long size = Files.size(image);
        if (size == content) {
            return false;
        }
        if (size != head + content) {
            throw new OperationFailedException(image + " is " + size + " bytes after fallocate --insert-range, not "
                    + (head + content) + "; build again");
        }
        return true;
    }

    /** Copies the first {@code content} bytes of {@code image} behind {@code head} bytes of hole into a new file, which replaces it. */
    private static void shiftByCopy(Path image, long head, long content) throws IOException {
        Path moved = AtomicFiles.temporarySibling(image);
        try {
            try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                    FileChannel out = FileChannel.open(moved, StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE)) {
                copy(in, content, out, head);
            }
            Files.move(moved, image, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(moved);
        }
    }

    /**
     * The partitions around the data written at sector {@link #FIRST_LBA} and its hash area behind it: the
     * signature, the zero-filled end and the partition table, written to {@code out} and, with {@code flush}, flushed
     * to disk; the hash area is the caller's.
     */
    private static Result lay(FileChannel out, String architecture, byte[] seedBytes, long dataBlocks,
            VerityHashTree tree, byte[] sigContent, boolean flush) throws IOException, UsageException {
        UUID rootType = type(architecture, PartitionTypes.Role.ROOT);
        UUID verityType = type(architecture, PartitionTypes.Role.ROOT_VERITY);
        UUID sigType = type(architecture, PartitionTypes.Role.ROOT_VERITY_SIG);
        byte[] root = tree.rootHash();
        long dataLba = FIRST_LBA;
        long verityLba = dataLba + dataBlocks * BLOCK / Gpt.SECTOR;
        long veritySectors = tree.hashArea().length / Gpt.SECTOR;
        byte[] rootAndSeed = concat(seedBytes, root);
        List<GptPartition> parts = new ArrayList<>();
        String arch = architecture;
        parts.add(new GptPartition(rootType, uuidOf(root, 0), PartitionTypes.Role.ROOT.typeName(arch), dataLba,
                verityLba - 1, GptPartition.READ_ONLY));
        long end = verityLba + veritySectors;
        parts.add(new GptPartition(verityType, uuidOf(root, 16), PartitionTypes.Role.ROOT_VERITY.typeName(arch),
                verityLba, end - 1, GptPartition.READ_ONLY));
        if (sigContent != null) {
            long sigSectors = (sigContent.length + BLOCK - 1) / BLOCK * (BLOCK / Gpt.SECTOR);
            // systemd-repart 257 leaves the signature partition's read-only bit unset; so does sysextctl
            parts.add(new GptPartition(sigType, uuidV4(hmac(rootAndSeed, "verity-signature-partition")),
                    PartitionTypes.Role.ROOT_VERITY_SIG.typeName(arch), end, end + sigSectors - 1, 0));
            end += sigSectors;
        }
        long totalSectors = end + FIRST_LBA;
        Gpt gpt = Gpt.of(uuidV4(hmac(rootAndSeed, "disk")), totalSectors, parts);
        out.truncate(totalSectors * Gpt.SECTOR);
        zero(out, totalSectors * Gpt.SECTOR);
        if (sigContent != null) {
            Gpt.writeFully(out, ByteBuffer.wrap(sigContent), parts.get(2).offset(Gpt.SECTOR));
        }
        gpt.write(out);
        if (flush) {
            out.force(false);
        }
        return new Result(architecture, tree.rootHashHex(), sigContent != null, gpt);
    }

    /**
     * The tree by veritysetup when it is given and the file system fills whole blocks (veritysetup reads the blocks it
     * counts; Java pads a short last one with zeros), else by Java. veritysetup's result is checked: its superblock
     * must be the one Java writes and its top hash block must lead to the root hash it printed.
     */
    private static VerityHashTree hashTree(Path fileSystem, FileChannel in, VeritySuperblock sb, Veritysetup tool,
            Path output) throws IOException {
        if (tool != null && in.size() == sb.dataBlocks() * BLOCK) {
            Path hash = Files.createTempFile(output.toAbsolutePath().getParent(), ".#verity", ".tmp");
            try {
                byte[] root = HexFormat.of().parseHex(tool.format(fileSystem, hash, sb.dataBlocks(), sb.salt(),
                        sb.uuid()));
                byte[] area = Files.readAllBytes(hash);
                if (consistent(area, sb, root)) {
                    return new VerityHashTree(root, area);
                }
            } catch (OperationFailedException e) {
                // not installed, or failed (its stderr is in -vv): Java computes the same tree
            } finally {
                Files.deleteIfExists(hash);
            }
        }
        return VerityHashTree.compute(in, 0, sb, true);
    }

    /**
     * Whether a hash partition's content made by another tool is the one of {@code sb}: the superblock sysextctl would
     * write, a block for every hash block of the tree, every block above the lowest level holding the digests of the
     * level below, and the top block leading to {@code root}. The lowest level's digests of the data are taken as
     * they are (checking them is reading the data again).
     */
    static boolean consistent(byte[] area, VeritySuperblock sb, byte[] root) {
        List<Long> sizes = new ArrayList<>(); // blocks per level, from the one over the data up to the top one
        for (long n = sb.dataBlocks(); n > 1; ) {
            n = (n + PER_HASH_BLOCK - 1) / PER_HASH_BLOCK;
            sizes.add(n);
        }
        long total = 1 + sizes.stream().mapToLong(Long::longValue).sum();
        if (area.length != total * BLOCK || !Arrays.equals(area, 0, VeritySuperblock.SIZE, sb.bytes(), 0,
                VeritySuperblock.SIZE)) {
            return false;
        }
        if (sizes.isEmpty()) {
            return true; // one data block: the root hash is its digest, there is no hash block
        }
        long[] start = new long[sizes.size()]; // stored top level first, after the superblock
        long pos = 1;
        for (int i = sizes.size() - 1; i >= 0; i--) {
            start[i] = pos;
            pos += sizes.get(i);
        }
        byte[] salt = sb.salt();
        MessageDigest md = VerityHashTree.sha256();
        byte[] expected = new byte[BLOCK];
        for (int i = 1; i < sizes.size(); i++) {
            for (long b = 0; b < sizes.get(i); b++) {
                Arrays.fill(expected, (byte) 0);
                long first = b * PER_HASH_BLOCK;
                long last = Math.min(sizes.get(i - 1), first + PER_HASH_BLOCK);
                for (long c = first; c < last; c++) {
                    md.update(salt);
                    md.update(area, (int) ((start[i - 1] + c) * BLOCK), BLOCK);
                    System.arraycopy(md.digest(), 0, expected, (int) ((c - first) * DIGEST), DIGEST);
                }
                int at = (int) ((start[i] + b) * BLOCK);
                if (!Arrays.equals(area, at, at + BLOCK, expected, 0, BLOCK)) {
                    return false;
                }
            }
        }
        return Arrays.equals(VerityHashTree.storedRoot(area, sb), root);
    }

    /** The file system copied into the data partition on a thread of its own, by the kernel where it can. */
    private static final class DataCopy extends Thread {
        private final FileChannel in;
        private final long size;
        private final FileChannel out;
        private final long at;
        private volatile IOException failure;

        private DataCopy(FileChannel in, long size, FileChannel out, long at) {
            super("ddi-data-copy");
            setDaemon(true);
            this.in = in;
            this.size = size;
            this.out = out;
            this.at = at;
        }

        static DataCopy start(FileChannel in, long size, FileChannel out, long at) {
            DataCopy c = new DataCopy(in, size, out, at);
            c.start();
            return c;
        }

        @Override
        public void run() {
            try {
                copy(in, size, out, at);
            } catch (IOException e) {
                failure = e;
            }
        }

        void finish() throws IOException {
            boolean interrupted = false;
            while (isAlive()) {
                try {
                    super.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** The first {@code size} bytes of {@code in} written to {@code out} from {@code at}, by the kernel where it can. */
    private static void copy(FileChannel in, long size, FileChannel out, long at) throws IOException {
        out.position(at);
        long done = 0;
        while (done < size) {
            long n = in.transferTo(done, size - done, out);
            if (n <= 0) {
                throw new IOException("the file system image ended at byte " + done + " of " + size);
            }
            done += n;
        }
    }

    private static UUID type(String architecture, PartitionTypes.Role role) throws UsageException {
        return PartitionTypes.of(architecture, role).orElseThrow(() -> new UsageException("no DDI partition type "
                + "is defined for architecture '" + architecture + "'; give --arch one of "
                + String.join(", ", PartitionTypes.architectures())));
    }

    /** Extends the file to {@code size} bytes (a sparse end: the footer is written afterwards). */
    private static void zero(FileChannel out, long size) throws IOException {
        if (out.size() < size) {
            Gpt.writeFully(out, ByteBuffer.allocate(1), size - 1);
        }
    }

    /** The UUID made of 16 bytes of {@code b} from {@code off}, as they are (the root hash's halves). */
    static UUID uuidOf(byte[] b, int off) {
        ByteBuffer w = ByteBuffer.wrap(b, off, 16);
        return new UUID(w.getLong(), w.getLong());
    }

    /** A version 4, variant 1 UUID made of the first 16 bytes of {@code b}. */
    static UUID uuidV4(byte[] b) {
        byte[] u = Arrays.copyOf(b, 16);
        u[6] = (byte) ((u[6] & 0x0f) | 0x40);
        u[8] = (byte) ((u[8] & 0x3f) | 0x80);
        return uuidOf(u, 0);
    }

    /**
     * HMAC-SHA256 of {@code label} keyed with {@code key} (RFC 2104), on {@link MessageDigest}: the same bytes as
     * {@code Mac.getInstance("HmacSHA256")}, without loading the JCE provider for it (about 0.05 s of CPU at start-up
     * under the launcher's C1 compiler, measured).
     */
    static byte[] hmac(byte[] key, String label) {
        MessageDigest md = VerityHashTree.sha256();
        byte[] k = key.length > 64 ? md.digest(key) : key;
        byte[] ipad = new byte[64];
        byte[] opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        md.update(ipad);
        md.update(label.getBytes(StandardCharsets.US_ASCII));
        byte[] inner = md.digest();
        md.update(opad);
        return md.digest(inner);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
