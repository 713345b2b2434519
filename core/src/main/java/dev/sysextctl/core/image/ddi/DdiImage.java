package dev.sysextctl.core.image.ddi;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A DDI read in userspace: its GPT, the root (or {@code /usr}) partition of its architecture with the file
 * system inside, the verity hash partition and the signature partition of the same architecture (docs/ddi.md §5).
 * When the image has data partitions of several architectures, this machine's wins, else the first.
 */
public final class DdiImage {
    /** The file systems a data partition may hold. */
    public enum FileSystem { SQUASHFS, EROFS, UNKNOWN }

    private final Path path;
    private final Gpt gpt;
    private final GptPartition data;
    private final PartitionTypes.Kind kind;
    private final GptPartition verity;
    private final GptPartition signaturePartition;
    private final FileSystem fileSystem;
    private final VeritySignature signature;
    private final String signatureDefect;

    private DdiImage(Path path, Gpt gpt, GptPartition data, PartitionTypes.Kind kind, GptPartition verity,
            GptPartition signaturePartition, FileSystem fileSystem, VeritySignature signature,
            String signatureDefect) {
        this.path = path;
        this.gpt = gpt;
        this.data = data;
        this.kind = kind;
        this.verity = verity;
        this.signaturePartition = signaturePartition;
        this.fileSystem = fileSystem;
        this.signature = signature;
        this.signatureDefect = signatureDefect;
    }

    /** Reads the partition table and the signature partition; refused with one line when it is no sysext DDI. */
    public static DdiImage open(Path path) throws OperationFailedException {
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            Gpt gpt = Gpt.read(in);
            GptPartition data = null;
            PartitionTypes.Kind kind = null;
            String host = Architecture.host();
            for (GptPartition p : gpt.partitions()) {
                Optional<PartitionTypes.Kind> k = PartitionTypes.kind(p.type());
                if (k.isPresent() && k.get().role().isData()
                        && (data == null || !kind.architecture().equals(host) && k.get().architecture().equals(host))) {
                    data = p;
                    kind = k.get();
                }
            }
            if (data == null) {
                throw new DdiFormatException("its GPT has no root or /usr partition of any architecture (types "
                        + "of the Discoverable Partitions Specification)");
            }
            GptPartition verity = find(gpt, kind.architecture(), kind.role().verity());
            GptPartition sig = find(gpt, kind.architecture(), kind.role().signature());
            ByteBuffer head = Gpt.readFully(in, data.offset(Gpt.SECTOR), (int) Math.min(2048,
                    data.size(Gpt.SECTOR)));
            FileSystem fs = FileSystem.UNKNOWN;
            if (head.limit() >= 4 && head.get(0) == 'h' && head.get(1) == 's' && head.get(2) == 'q'
                    && head.get(3) == 's') {
                fs = FileSystem.SQUASHFS;
            } else if (head.limit() >= 1028 && head.getInt(1024) == 0xE0F5E1E2) {
                fs = FileSystem.EROFS;
            }
            VeritySignature signature = null;
            String defect = null;
            if (sig != null) {
                long size = sig.size(Gpt.SECTOR);
                if (size > 1 << 20) {
                    defect = "its verity signature partition is " + size + " bytes, more than systemd reads";
                } else {
                    try {
                        signature = VeritySignature.parse(Gpt.readFully(in, sig.offset(Gpt.SECTOR), (int) size)
                                .array());
                    } catch (DdiFormatException e) {
                        defect = e.getMessage();
                    }
                }
            }
            return new DdiImage(path, gpt, data, kind, verity, sig, fs, signature, defect);
        } catch (DdiFormatException e) {
            throw new OperationFailedException(path + " is not a readable DDI: " + e.getMessage()
                    + "; rebuild it (sysextctl build --format ddi or systemd-repart --make-ddi=sysext)");
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + path + ": " + AtomicFiles.describe(e)
                    + "; check that it exists and is readable");
        }
    }

    private static GptPartition find(Gpt gpt, String arch, PartitionTypes.Role role) {
        UUID type = PartitionTypes.of(arch, role).orElseThrow();
        for (GptPartition p : gpt.partitions()) {
            if (p.type().equals(type)) {
                return p;
            }
        }
        return null;
    }

    public Path path() {
        return path;
    }

    public Gpt gpt() {
        return gpt;
    }

    /** The partition that holds the file system. */
    public GptPartition data() {
        return data;
    }

    /** The architecture of the data partition (systemd's name). */
    public String architecture() {
        return kind.architecture();
    }

    /** {@code root} or {@code usr}: the image policy's name for the data partition. */
    public String designator() {
        return kind.role().designator();
    }

    public Optional<GptPartition> verity() {
        return Optional.ofNullable(verity);
    }

    public Optional<GptPartition> signaturePartition() {
        return Optional.ofNullable(signaturePartition);
    }

    /** The parsed signature partition; empty when there is none or it is malformed ({@link #signatureDefect}). */
    public Optional<VeritySignature> signature() {
        return Optional.ofNullable(signature);
    }

    /** What is wrong with the signature partition, when it is there but unreadable. */
    public Optional<String> signatureDefect() {
        return Optional.ofNullable(signatureDefect);
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    /**
     * The root hash the image claims: the signature's, else the data and verity partition UUIDs put together (as
     * systemd-repart names them); empty without a verity partition.
     */
    public Optional<String> rootHash() {
        if (signature != null) {
            return Optional.of(signature.rootHash());
        }
        if (verity == null) {
            return Optional.empty();
        }
        return Optional.of((data.uuid().toString() + verity.uuid().toString()).replace("-", ""));
    }

    /**
     * Recomputes the verity hash tree of the data partition and compares it with the verity partition and the
     * root hash the image claims.
     *
     * @return empty when all agree, else one line saying what does not (a tampered or damaged image)
     */
    public Optional<String> verify() throws OperationFailedException {
        if (verity == null) {
            return Optional.of("it has no verity partition, nothing protects its data");
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            long verityOffset = verity.offset(Gpt.SECTOR);
            long veritySize = verity.size(Gpt.SECTOR);
            VeritySuperblock sb = VeritySuperblock.parse(Gpt.readFully(in, verityOffset, VeritySuperblock.SIZE)
                    .array());
            long dataBytes = sb.dataBlocks() * sb.dataBlockSize();
            if (dataBytes > data.size(Gpt.SECTOR)) {
                return Optional.of("its verity superblock counts " + sb.dataBlocks() + " data blocks, more than the "
                        + "data partition holds");
            }
            VerityHashTree tree = VerityHashTree.compute(in, data.offset(Gpt.SECTOR), sb);
            byte[] expected = tree.hashArea();
            if (expected.length > veritySize) {
                return Optional.of("its verity partition is too small for the hash tree of its data");
            }
            byte[] stored = Gpt.readFully(in, verityOffset, expected.length).array();
            // the superblock is compared up to its end, the hash blocks whole
            byte[] storedSb = Arrays.copyOf(stored, VeritySuperblock.SIZE);
            byte[] expectedSb = Arrays.copyOf(expected, VeritySuperblock.SIZE);
            String claimed = rootHash().orElseThrow();
            String computed = tree.rootHashHex();
            boolean areaMatches = Arrays.equals(storedSb, expectedSb) && Arrays.equals(stored, VeritySuperblock.SIZE,
                    expected.length, expected, VeritySuperblock.SIZE, expected.length);
            String tampered = " (tampered or damaged)";
            if (!areaMatches) {
                byte[] storedRoot = VerityHashTree.storedRoot(stored, sb);
                if (storedRoot != null && HexFormat.of().formatHex(storedRoot).equals(claimed)) {
                    return Optional.of("its data partition does not match its verity hash tree" + tampered);
                }
                return Optional.of("its verity hash partition does not match its data partition" + tampered);
            }
            if (!computed.equals(claimed)) {
                return Optional.of("its data hashes to root hash " + computed + ", not the " + claimed + " it "
                        + (signature != null ? "signed" : "names") + tampered);
            }
            return Optional.empty();
        } catch (DdiFormatException e) {
            return Optional.of(e.getMessage());
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + path + ": " + AtomicFiles.describe(e)
                    + "; check that it is readable");
        }
    }

    /** The partitions in table order, for reports. */
    public List<GptPartition> partitions() {
        return gpt.partitions();
    }
}
