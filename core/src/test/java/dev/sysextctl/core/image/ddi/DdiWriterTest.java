package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.Fallocate;
import dev.sysextctl.core.tools.Openssl;
import dev.sysextctl.core.tools.Veritysetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DDI layout, its reproducibility and what {@link DdiImage} reads back and verifies, with a stand-in file
 * system (random bytes) and a stand-in openssl; the real tools check the same images in DdiPeersIT.
 */
class DdiWriterTest {
    private static final UUID SEED = UUID.fromString("0c1a9a8e-1111-4222-8333-444455556666");
    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};

    @TempDir
    Path tmp;
    Path fs;

    /** Writes a fixed "signature" and records what it was asked to sign. */
    static class FakeOpenssl implements Openssl {
        final List<String> signed = new ArrayList<>();

        @Override
        public void signDetached(Path content, Path key, Path certificate, Path signature) {
            try {
                signed.add(Files.readString(content));
                Files.write(signature, DER);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public boolean verifyDetached(Path signature, Path content, Path certificate) {
            return true;
        }
    }

    /**
     * Writes the tree Java computes (with {@code corrupt}, one byte of its lowest level flipped, or a different
     * superblock UUID) and records each call's data file, block count, salt and UUID.
     */
    static class FakeVeritysetup implements Veritysetup {
        final List<String> calls = new ArrayList<>();
        final String corrupt;

        FakeVeritysetup(String corrupt) {
            this.corrupt = corrupt;
        }

        @Override
        public String format(Path data, Path hash, long dataBlocks, byte[] salt, UUID uuid)
                throws OperationFailedException {
            calls.add(data.getFileName() + " " + dataBlocks + " " + java.util.HexFormat.of().formatHex(salt) + " "
                    + uuid);
            if (corrupt.equals("fail")) {
                throw new OperationFailedException("veritysetup not found");
            }
            UUID u = corrupt.equals("superblock") ? new UUID(1, 2) : uuid;
            try (var ch = java.nio.channels.FileChannel.open(data)) {
                VerityHashTree t = VerityHashTree.compute(ch, 0, new VeritySuperblock(u, "sha256", 4096, 4096,
                        dataBlocks, salt));
                byte[] area = t.hashArea();
                if (corrupt.equals("tree")) {
                    area[area.length - 4096 + 7] ^= 1;
                }
                Files.write(hash, area);
                return t.rootHashHex();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** {@link #format} into a scratch file, appended to the first {@code dataBlocks} blocks of {@code image}. */
        @Override
        public String formatAppended(Path image, long dataBlocks, byte[] salt, UUID uuid)
                throws OperationFailedException {
            Path hash = image.resolveSibling(image.getFileName() + ".hash");
            try {
                String root = format(image, hash, dataBlocks, salt, uuid);
                try (var ch = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.truncate(dataBlocks * 4096);
                    ch.write(java.nio.ByteBuffer.wrap(Files.readAllBytes(hash)), dataBlocks * 4096);
                }
                return root;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } finally {
                try {
                    Files.deleteIfExists(hash);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @BeforeEach
    void fileSystem() throws Exception {
        fs = tmp.resolve("fs.img");
        byte[] b = new byte[300 * 4096 + 100]; // not a whole number of blocks: the last one is zero-padded
        new Random(3).nextBytes(b);
        Files.write(fs, b);
    }

    private DdiWriter.Result write(String name, DdiSigner signer) throws Exception {
        return DdiWriter.write(fs, tmp.resolve(name), "x86-64", SEED, signer);
    }

    @Test
    void anUnsignedDdiHasTheRootAndVerityPartitionsNamedByTheRootHash() throws Exception {
        DdiWriter.Result r = write("a.raw", null);
        List<GptPartition> p = r.gpt().partitions();
        assertThat(p).extracting(GptPartition::name).containsExactly("root-x86-64", "root-x86-64-verity");
        assertThat(p.get(0).type()).isEqualTo(UUID.fromString("4f68bce3-e8cd-4db1-96e7-fbcaf984b709"));
        assertThat(p.get(1).type()).isEqualTo(UUID.fromString("2c7357ed-ebd2-46d9-aec1-23d437ec2bf5"));
        assertThat(p).allSatisfy(x -> assertThat(x.readOnly()).isTrue());
        assertThat(p.get(0).firstLba()).isEqualTo(40);
        assertThat(p).allSatisfy(x -> assertThat(x.firstLba() % 8).as("4 KiB aligned").isZero());
        assertThat(p.get(0).size(512)).isEqualTo(301 * 4096);
        assertThat((p.get(0).uuid() + "" + p.get(1).uuid()).replace("-", "")).isEqualTo(r.rootHash());
        assertThat(Files.size(tmp.resolve("a.raw"))).isEqualTo((p.get(1).lastLba() + 1 + 40) * 512);
        DdiImage ddi = DdiImage.open(tmp.resolve("a.raw"));
        assertThat(ddi.architecture()).isEqualTo("x86-64");
        assertThat(ddi.rootHash()).contains(r.rootHash());
        assertThat(ddi.signature()).isEmpty();
        assertThat(ddi.verify()).isEmpty();
    }

    @Test
    void theSameInputsGiveTheSameBytesAndAnotherSeedOtherUuidsButTheSameData() throws Exception {
        write("a.raw", null);
        write("b.raw", null);
        assertThat(Files.readAllBytes(tmp.resolve("a.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("b.raw")));
        DdiWriter.Result other = DdiWriter.write(fs, tmp.resolve("c.raw"), "x86-64",
                UUID.fromString("99999999-1111-4222-8333-444455556666"), null);
        DdiWriter.Result first = write("d.raw", null);
        assertThat(other.rootHash()).as("another salt").isNotEqualTo(first.rootHash());
        assertThat(other.gpt().diskGuid()).isNotEqualTo(first.gpt().diskGuid());
    }

    @Test
    void aSignedDdiCarriesTheJsonWithTheSignatureOfTheHexRootHash() throws Exception {
        FakeOpenssl openssl = new FakeOpenssl();
        DdiSigner signer = DdiSigner.withFingerprint(openssl, tmp.resolve("k"), tmp.resolve("c"), "ab12");
        DdiWriter.Result r = write("s.raw", signer);
        assertThat(openssl.signed).containsExactly(r.rootHash());
        GptPartition sig = r.gpt().partitions().get(2);
        assertThat(sig.name()).isEqualTo("root-x86-64-verity-sig");
        assertThat(sig.type()).isEqualTo(UUID.fromString("41092b05-9fc8-4523-994f-2def0408b176"));
        assertThat(sig.readOnly()).as("as systemd-repart 257 writes it").isFalse();
        byte[] raw = Files.readAllBytes(tmp.resolve("s.raw"));
        String json = new String(raw, (int) sig.offset(512), (int) sig.size(512), StandardCharsets.US_ASCII)
                .replace("\0", "");
        assertThat(json).isEqualTo("{\"rootHash\":\"" + r.rootHash() + "\",\"certificateFingerprint\":\"ab12\","
                + "\"signature\":\"" + Base64.getEncoder().encodeToString(DER) + "\"}");
        DdiImage ddi = DdiImage.open(tmp.resolve("s.raw"));
        assertThat(ddi.signature()).contains(new VeritySignature(r.rootHash(), "ab12",
                Base64.getEncoder().encodeToString(DER)));
        assertThat(ddi.verify()).isEmpty();
    }

    @Test
    void oneFlippedByteInTheDataOrTheHashPartitionIsFound() throws Exception {
        DdiWriter.Result r = write("t.raw", null);
        Path f = tmp.resolve("t.raw");
        byte[] clean = Files.readAllBytes(f);
        byte[] b = clean.clone();
        b[(int) r.gpt().partitions().get(0).offset(512) + 5000] ^= 1;
        Files.write(f, b);
        assertThat(DdiImage.open(f).verify()).contains("its data partition does not match its verity hash tree "
                + "(tampered or damaged)");
        b = clean.clone();
        b[(int) r.gpt().partitions().get(1).offset(512) + 4096 + 10] ^= 1;
        Files.write(f, b);
        assertThat(DdiImage.open(f).verify()).contains("its verity hash partition does not match its data "
                + "partition (tampered or damaged)");
        Files.write(f, clean);
        assertThat(DdiImage.open(f).verify()).isEmpty();
    }

    @Test
    void aRootHashThatIsNotTheOneOfTheDataIsFound() throws Exception {
        FakeOpenssl openssl = new FakeOpenssl();
        DdiSigner signer = DdiSigner.withFingerprint(openssl, tmp.resolve("k"), tmp.resolve("c"), "ab12");
        DdiWriter.Result r = write("s.raw", signer);
        Path f = tmp.resolve("s.raw");
        byte[] b = Files.readAllBytes(f);
        GptPartition sig = r.gpt().partitions().get(2);
        String other = "0".repeat(64);
        byte[] json = new VeritySignature(other, "ab12", Base64.getEncoder().encodeToString(DER)).json();
        System.arraycopy(json, 0, b, (int) sig.offset(512), json.length);
        Files.write(f, b);
        assertThat(DdiImage.open(f).verify()).contains("its data hashes to root hash " + r.rootHash() + ", not the "
                + other + " it signed (tampered or damaged)");
    }

    @Test
    void anArchitectureWithoutPartitionTypesIsAUsageError() {
        assertThatThrownBy(() -> DdiWriter.write(fs, tmp.resolve("x.raw"), "sparc", SEED, null))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("no DDI partition type is defined for "
                        + "architecture 'sparc'; give --arch one of alpha, arc, arm, arm64,");
    }

    @Test
    void aDiskWithoutARootPartitionIsNoDdi() throws Exception {
        Path f = tmp.resolve("other.raw");
        Gpt gpt = Gpt.of(UUID.randomUUID(), 100, List.of(new GptPartition(
                UUID.fromString("0fc63daf-8483-4772-8e79-3d69d8477de4"), UUID.randomUUID(), "linux", 40, 47, 0)));
        try (var ch = java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(1), 100 * 512 - 1);
            gpt.write(ch);
        }
        assertThatThrownBy(() -> DdiImage.open(f)).isInstanceOf(OperationFailedException.class)
                .hasMessage(f + " is not a readable DDI: its GPT has no root or /usr partition of any architecture "
                        + "(types of the Discoverable Partitions Specification); rebuild it (sysextctl build --format "
                        + "ddi or systemd-repart --make-ddi=sysext)");
    }

    /**
     * Inserts the hole as the kernel does, in Java (a stand-in: the real fallocate in DdiInPlaceIT), or refuses like a
     * file system without FALLOC_FL_INSERT_RANGE, or answers success without doing anything; records each call.
     */
    static class FakeFallocate implements Fallocate {
        final List<String> calls = new ArrayList<>();
        final String mode;

        FakeFallocate(String mode) {
            this.mode = mode;
        }

        @Override
        public void insertRange(Path file, long offset, long length) throws OperationFailedException {
            calls.add(file.getFileName() + " " + offset + " " + length);
            if (mode.equals("refuse")) {
                throw new OperationFailedException("fallocate: fallocate failed: Operation not supported");
            }
            if (mode.equals("insert")) {
                try {
                    byte[] b = Files.readAllBytes(file);
                    byte[] shifted = new byte[(int) length + b.length];
                    System.arraycopy(b, 0, shifted, (int) length, b.length);
                    Files.write(file, shifted);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void aDdiMadeInPlaceHasTheBytesOfTheCopiedOneWhoeverHashesAndWhetherOrNotRoomIsInserted() throws Exception {
        FakeOpenssl openssl = new FakeOpenssl();
        DdiSigner signer = DdiSigner.withFingerprint(openssl, tmp.resolve("k"), tmp.resolve("c"), "ab12");
        for (byte[] fsBytes : List.of(Files.readAllBytes(fs), Arrays.copyOf(Files.readAllBytes(fs), 300 * 4096))) {
            Files.write(fs, fsBytes);
            for (DdiSigner sig : Arrays.asList(null, signer)) {
                write("copied.raw", sig);
                byte[] copied = Files.readAllBytes(tmp.resolve("copied.raw"));
                for (String tree : List.of("java", "veritysetup", "veritysetup-fails", "veritysetup-corrupts")) {
                    for (String room : List.of("insert", "refuse", "nothing", "none")) {
                        String what = fsBytes.length + " bytes, " + (sig == null ? "unsigned" : "signed") + ", tree by "
                                + tree + ", fallocate " + room;
                        Path image = Files.write(tmp.resolve("image.raw"), fsBytes);
                        FakeVeritysetup v = tree.equals("java") ? null : new FakeVeritysetup(
                                tree.equals("veritysetup-fails") ? "fail" : tree.equals("veritysetup-corrupts") ? "tree"
                                        : "");
                        FakeFallocate f = room.equals("none") ? null : new FakeFallocate(room);
                        DdiWriter.Result r = DdiWriter.writeInPlace(image, "x86-64", () -> SEED, sig, v, f, true);
                        assertThat(Files.readAllBytes(image)).as(what).isEqualTo(copied);
                        assertThat(r.signed()).as(what).isEqualTo(sig != null);
                        if (f != null) {
                            assertThat(f.calls).as(what).containsExactly("image.raw 0 20480");
                        }
                        if (v != null) {
                            assertThat(v.calls).as(what).hasSize(1)
                                    .allSatisfy(c -> assertThat(c).startsWith("image.raw 30" + (fsBytes.length
                                            % 4096 == 0 ? 0 : 1) + " "));
                        }
                        try (var s = Files.list(tmp)) {
                            assertThat(s.map(p -> p.getFileName().toString())).as(what + ": no scratch file left")
                                    .containsExactlyInAnyOrder("fs.img", "copied.raw", "image.raw");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFallocateThatSaysItInsertedButLeftAnotherSizeStopsTheBuild() throws Exception {
        Fallocate odd = (file, offset, length) -> {
            try {
                Files.write(file, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Path image = Files.write(tmp.resolve("image.raw"), Files.readAllBytes(fs));
        assertThatThrownBy(() -> DdiWriter.writeInPlace(image, "x86-64", () -> SEED, null, null, odd, false))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage(image + " is " + (306 * 4096 + 1) + " bytes after fallocate --insert-range, not "
                        + (306 * 4096 + 20480) + "; build again"); // 301 data blocks, superblock and 4 hash blocks
    }

    @Test
    void veritysetupComputesTheTreeOfAWholeBlockFileSystemAndTheBytesAreJavas() throws Exception {
        byte[] aligned = Arrays.copyOf(Files.readAllBytes(fs), 300 * 4096);
        Files.write(fs, aligned);
        write("java.raw", null);
        FakeVeritysetup v = new FakeVeritysetup("");
        DdiWriter.Result r = DdiWriter.write(fs, tmp.resolve("native.raw"), "x86-64", () -> SEED, null, v);
        assertThat(v.calls).hasSize(1).allSatisfy(c -> assertThat(c).startsWith("fs.img 300 "));
        int verity = (int) r.gpt().partitions().get(1).offset(512);
        VeritySuperblock sb = VeritySuperblock.parse(Arrays.copyOfRange(Files.readAllBytes(tmp.resolve("native.raw")),
                verity, verity + 512));
        assertThat(v.calls.get(0)).isEqualTo("fs.img 300 " + java.util.HexFormat.of().formatHex(sb.salt()) + " "
                + sb.uuid());
        assertThat(Files.readAllBytes(tmp.resolve("native.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("java.raw")));
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("the hash scratch file is gone")
                    .containsExactlyInAnyOrder("fs.img", "java.raw", "native.raw");
        }
    }

    @Test
    void aVeritysetupThatFailsOrWritesAnotherTreeLeavesTheTreeToJava() throws Exception {
        byte[] aligned = Arrays.copyOf(Files.readAllBytes(fs), 300 * 4096);
        Files.write(fs, aligned);
        write("java.raw", null);
        byte[] java = Files.readAllBytes(tmp.resolve("java.raw"));
        for (String corrupt : List.of("fail", "tree", "superblock")) {
            FakeVeritysetup v = new FakeVeritysetup(corrupt);
            DdiWriter.write(fs, tmp.resolve(corrupt + ".raw"), "x86-64", () -> SEED, null, v);
            assertThat(v.calls).as(corrupt).hasSize(1);
            assertThat(Files.readAllBytes(tmp.resolve(corrupt + ".raw"))).as(corrupt).isEqualTo(java);
        }
    }

    @Test
    void aFileSystemEndingInsideABlockIsHashedByJava() throws Exception {
        FakeVeritysetup v = new FakeVeritysetup("");
        DdiWriter.write(fs, tmp.resolve("native.raw"), "x86-64", () -> SEED, null, v);
        write("java.raw", null);
        assertThat(v.calls).isEmpty();
        assertThat(Files.readAllBytes(tmp.resolve("native.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("java.raw")));
    }

    @Test
    void theConsistencyCheckAcceptsJavasTreeAndRefusesAFlippedByteInAnyHashBlock() throws Exception {
        for (int blocks : new int[] {1, 2, 128, 129, 128 * 128 + 1}) {
            Path data = tmp.resolve("data-" + blocks);
            try (var f = new java.io.RandomAccessFile(data.toFile(), "rw")) {
                f.setLength(blocks * 4096L);
                f.seek(blocks * 4096L - 9);
                f.write(blocks);
            }
            VeritySuperblock sb = new VeritySuperblock(SEED, "sha256", 4096, 4096, blocks, new byte[] {1, 2, 3});
            VerityHashTree tree;
            try (var ch = java.nio.channels.FileChannel.open(data)) {
                tree = VerityHashTree.compute(ch, 0, sb);
            }
            byte[] area = tree.hashArea();
            assertThat(DdiWriter.consistent(area, sb, tree.rootHash())).as(blocks + " blocks").isTrue();
            assertThat(DdiWriter.consistent(Arrays.copyOf(area, area.length + 4096), sb, tree.rootHash()))
                    .as(blocks + " blocks, one block too many").isFalse();
            for (int block = 0; block < area.length / 4096; block++) {
                byte[] flipped = area.clone();
                flipped[block * 4096 + 31] ^= 1;
                assertThat(DdiWriter.consistent(flipped, sb, tree.rootHash())).as(blocks + " blocks, block " + block)
                        .isFalse();
            }
        }
    }

    @Test
    void hmacIsHmacSha256ForKeysShorterAndLongerThanABlock() throws Exception {
        Random r = new Random(3);
        for (int len : new int[] {0, 16, 48, 64, 65, 200}) {
            byte[] key = new byte[len];
            r.nextBytes(key);
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(len == 0 ? new byte[1] : key, "HmacSHA256"));
            byte[] expected = mac.doFinal("verity-salt".getBytes(StandardCharsets.US_ASCII));
            if (len == 0) {
                // SecretKeySpec refuses an empty key; a key of one zero byte pads to the same block
                assertThat(DdiWriter.hmac(new byte[1], "verity-salt")).isEqualTo(expected);
            }
            assertThat(DdiWriter.hmac(key, "verity-salt")).as("key of %d bytes", len).isEqualTo(expected);
        }
    }
}
