package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.DdiImageFs;
import dev.sysextctl.core.image.ddi.GptPartition;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --format ddi}: the file system inside is byte for byte the one {@code --format erofs/squashfs}
 * writes, the DDI reads back through {@link ImageAccess}, a signed one carries a signature openssl accepts, and
 * the same inputs give the same bytes.
 */
@Requires(root = true, tools = {"mkfs.erofs", "mksquashfs", "openssl", "mknod"})
class DdiBuildIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));

    @TempDir
    Path tmp;
    Path tree;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    @BeforeEach
    void setUp() throws Exception {
        tree = SquashfsBuildIT.makeTree(tmp.resolve("tree"));
    }

    /** A self-signed RSA key and certificate made by openssl. */
    static void keyPair(Path dir) {
        Shell.shOk("cd '" + dir + "' && openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem "
                + "-days 3650 -subj /CN=sysextctl-test 2>&1");
    }

    private BuildReport build(BuildFormat format, DdiSettings ddi, String out) throws Exception {
        return build(format, ddi, out, null);
    }

    private BuildReport build(BuildFormat format, DdiSettings ddi, String out, Compression compression)
            throws Exception {
        return new ImageBuilder(tools).build(BuildRequest.builder("app").source(new DirectorySource(tree))
                .extensionRelease(RELEASE).format(format).ddi(ddi).output(tmp.resolve(out)).sourceDateEpoch(1234)
                .compression(compression).build());
    }

    private static byte[] partition(Path ddi, GptPartition p, long length) throws Exception {
        byte[] all = Files.readAllBytes(ddi);
        return Arrays.copyOfRange(all, (int) p.offset(512), (int) (p.offset(512) + length));
    }

    @Test
    void anErofsDdiHoldsTheErofsImageOfTheSameBuildAndReadsBack() throws Exception {
        build(BuildFormat.EROFS, null, "plain.raw", Compression.NONE);
        BuildReport r = build(BuildFormat.DDI, null, "app.raw");
        Path ddi = tmp.resolve("app.raw");
        assertThat(ImageFormat.detect(ddi)).isEqualTo(ImageFormat.GPT);
        assertThat(r.format()).isEqualTo("ddi");
        assertThat(r.compression()).as("uncompressed, as systemd-repart --make-ddi=sysext makes it").isEqualTo("none");
        DdiImage image = DdiImage.open(ddi);
        assertThat(image.fileSystem()).isEqualTo(DdiImage.FileSystem.EROFS);
        assertThat(image.partitions()).extracting(GptPartition::name).containsExactly("root-x86-64",
                "root-x86-64-verity");
        byte[] plain = Files.readAllBytes(tmp.resolve("plain.raw"));
        assertThat(partition(ddi, image.data(), plain.length)).isEqualTo(plain);
        assertThat(image.verify()).isEmpty();
        try (ImageFileSystem a = open(ddi); ImageFileSystem b = open(tmp.resolve("plain.raw"))) {
            assertThat(a).isInstanceOf(DdiImageFs.class);
            assertThat(a.walk()).isEqualTo(b.walk());
            assertThat(new String(a.read("usr/lib/extension-release.d/extension-release.app")))
                    .isEqualTo(RELEASE.render());
        }
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".#"));
        }
    }

    @Test
    void aSquashfsDdiHoldsTheSquashfsImageOfTheSameBuild() throws Exception {
        build(BuildFormat.SQUASHFS, null, "plain.raw");
        BuildReport r = build(BuildFormat.DDI, new DdiSettings(BuildFormat.SQUASHFS, null, null, null), "app.raw");
        assertThat(r.compression()).isEqualTo("zstd");
        Path ddi = tmp.resolve("app.raw");
        DdiImage image = DdiImage.open(ddi);
        assertThat(image.fileSystem()).isEqualTo(DdiImage.FileSystem.SQUASHFS);
        byte[] plain = Files.readAllBytes(tmp.resolve("plain.raw"));
        assertThat(partition(ddi, image.data(), plain.length)).isEqualTo(plain);
        try (ImageFileSystem a = open(ddi); ImageFileSystem b = open(tmp.resolve("plain.raw"))) {
            List<TreeEntry> entries = a.walk();
            assertThat(entries).isEqualTo(b.walk());
            assertThat(a.read("usr/lib/app/lib.so.1")).isEqualTo(b.read("usr/lib/app/lib.so.1"));
        }
    }

    @Test
    void aSignedDdiIsReproducibleAndOpensslAcceptsItsSignature() throws Exception {
        keyPair(tmp);
        DdiSettings signed = new DdiSettings(null, tmp.resolve("key.pem"), tmp.resolve("cert.pem"),
                UUID.fromString("0c1a9a8e-1111-4222-8333-444455556666"));
        build(BuildFormat.DDI, signed, "a.raw");
        build(BuildFormat.DDI, signed, "b.raw");
        assertThat(Files.readAllBytes(tmp.resolve("a.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("b.raw")));
        DdiImage image = DdiImage.open(tmp.resolve("a.raw"));
        assertThat(image.partitions()).extracting(GptPartition::name).containsExactly("root-x86-64",
                "root-x86-64-verity", "root-x86-64-verity-sig");
        var sig = image.signature().orElseThrow();
        assertThat(sig.rootHash()).isEqualTo(image.rootHash().orElseThrow());
        String fp = Shell.shOk("openssl x509 -in '" + tmp.resolve("cert.pem") + "' -outform der | sha256sum")
                .stdout().substring(0, 64);
        assertThat(sig.certificateFingerprint()).isEqualTo(fp);
        Files.write(tmp.resolve("sig.der"), sig.signatureDer());
        Files.writeString(tmp.resolve("roothash"), sig.rootHash());
        Shell.shOk("cd '" + tmp + "' && openssl smime -verify -binary -inform der -in sig.der -content roothash "
                + "-certfile cert.pem -nointern -noverify -out /dev/null 2>&1");
        assertThat(image.verify()).isEmpty();
    }

    @Test
    void inspectReportsTheRootHashSignatureStateAndPartitions() throws Exception {
        keyPair(tmp);
        build(BuildFormat.DDI, new DdiSettings(null, tmp.resolve("key.pem"), tmp.resolve("cert.pem"), null), "s.raw");
        build(BuildFormat.DDI, null, "u.raw");
        var inspector = new dev.sysextctl.builder.inspect.InspectReporter(tools);
        var s = inspector.inspect(tmp.resolve("s.raw"), false, dev.sysextctl.core.image.SystemdVersion.DEFAULT);
        DdiImage image = DdiImage.open(tmp.resolve("s.raw"));
        assertThat(s.format()).isEqualTo("gpt");
        assertThat(s.releaseName()).isEqualTo("app");
        assertThat(s.ddi().rootHash()).isEqualTo(image.rootHash().orElseThrow());
        assertThat(s.ddi().signature()).isEqualTo("signed");
        assertThat(s.ddi().certificateFingerprint()).isEqualTo(image.signature().orElseThrow()
                .certificateFingerprint());
        assertThat(s.ddi().fileSystem()).isEqualTo("erofs");
        assertThat(s.ddi().partitions()).extracting(p -> p.name() + " " + p.readOnly()).containsExactly(
                "root-x86-64 true", "root-x86-64-verity true", "root-x86-64-verity-sig false");
        var u = inspector.inspect(tmp.resolve("u.raw"), false, dev.sysextctl.core.image.SystemdVersion.DEFAULT);
        assertThat(u.ddi().signature()).isEqualTo("unsigned");
        assertThat(u.ddi().certificateFingerprint()).isNull();
        assertThat(dev.sysextctl.core.json.Json.mapper().readTree(dev.sysextctl.core.json.Json.write(u)).get("ddi")
                .get("signature").asText()).isEqualTo("unsigned");
        build(BuildFormat.EROFS, null, "plain.raw");
        var plain = inspector.inspect(tmp.resolve("plain.raw"), false, dev.sysextctl.core.image.SystemdVersion.DEFAULT);
        assertThat(plain.ddi()).isNull();
        assertThat(dev.sysextctl.core.json.Json.mapper().readTree(dev.sysextctl.core.json.Json.write(plain))
                .has("ddi")).isFalse();
    }

    /**
     * Without --seed the salt comes from the image's manifest (docs/ddi.md §2), not from a read of the file system:
     * the only full-file digest is the report's, of the DDI; the same tree gives the same bytes; a file changed
     * without changing its size keeps the salt but not the root hash or the disk GUID; a renamed file changes the
     * salt. The tree holds a file of 17 MiB, so a digest of the file system would run as {@code openssl dgst}.
     */
    @Test
    void withoutSeedTheSaltComesFromTheManifestAndNoDigestOfTheFileSystemRuns() throws Exception {
        byte[] big = new byte[17 << 20];
        new java.util.Random(5).nextBytes(big);
        Files.write(tree.resolve("usr/lib/app/big.bin"), big);
        List<List<String>> ran = new java.util.ArrayList<>();
        NativeTools recorded = recording(ran);
        java.util.function.Function<String, BuildReport> ddi = out -> {
            try {
                return new ImageBuilder(recorded).build(BuildRequest.builder("app")
                        .source(new DirectorySource(tree)).extensionRelease(RELEASE).format(BuildFormat.DDI)
                        .output(tmp.resolve(out)).sourceDateEpoch(1234).build());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        BuildReport a = ddi.apply("a.raw");
        List<List<String>> digests = ran.stream().filter(argv -> argv.contains("dgst")).toList();
        assertThat(digests).as("one digest, the report's, of the DDI itself").hasSize(1);
        assertThat(digests.get(0).get(digests.get(0).size() - 1)).doesNotContain(".fs");
        assertThat(ran).anyMatch(argv -> argv.contains("veritysetup"));
        assertThat(a.sha256()).isEqualTo(Shell.shOk("sha256sum '" + tmp.resolve("a.raw") + "'").stdout()
                .substring(0, 64));
        ddi.apply("b.raw");
        assertThat(Files.readAllBytes(tmp.resolve("b.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("a.raw")));

        big[big.length / 2] ^= 1; // same size, other content
        Files.write(tree.resolve("usr/lib/app/big.bin"), big);
        ddi.apply("c.raw");
        Files.move(tree.resolve("usr/lib/app/big.bin"), tree.resolve("usr/lib/app/big2.bin"));
        ddi.apply("d.raw");
        DdiImage da = DdiImage.open(tmp.resolve("a.raw"));
        DdiImage dc = DdiImage.open(tmp.resolve("c.raw"));
        DdiImage dd = DdiImage.open(tmp.resolve("d.raw"));
        assertThat(salt(dc)).as("the salt follows the manifest").isEqualTo(salt(da));
        assertThat(salt(dd)).isNotEqualTo(salt(da));
        assertThat(dc.rootHash()).isNotEqualTo(da.rootHash());
        assertThat(dc.gpt().diskGuid()).as("the disk GUID follows the root hash").isNotEqualTo(da.gpt().diskGuid());
        assertThat(da.verify()).isEmpty();
        assertThat(dc.verify()).isEmpty();
        assertThat(dd.verify()).isEmpty();
    }

    /**
     * {@code build -q} without --report or --json asks for no checksum: the DDI is not read back (no digest runs at
     * all, though the file system is over openssl's threshold), the report has none, and the bytes are the same.
     */
    @Test
    void aDdiBuiltWithoutChecksumIsNotReadBackAndHasTheSameBytes() throws Exception {
        Files.write(tree.resolve("usr/lib/app/big.bin"), new byte[17 << 20]);
        List<List<String>> ran = new java.util.ArrayList<>();
        BuildReport r = new ImageBuilder(recording(ran)).withoutChecksum().build(BuildRequest.builder("app")
                .source(new DirectorySource(tree)).extensionRelease(RELEASE).format(BuildFormat.DDI)
                .output(tmp.resolve("quiet.raw")).sourceDateEpoch(1234).build());
        assertThat(r.sha256()).isNull();
        assertThat(ran).noneMatch(argv -> argv.contains("dgst") || argv.contains("sha256sum"));
        BuildReport full = build(BuildFormat.DDI, null, "full.raw");
        assertThat(full.sha256()).hasSize(64);
        assertThat(Files.readAllBytes(tmp.resolve("quiet.raw"))).isEqualTo(Files.readAllBytes(tmp.resolve("full.raw")));
        assertThat(DdiImage.open(tmp.resolve("quiet.raw")).verify()).isEmpty();
    }

    /**
     * Without a checksum the file system's own file becomes the DDI (docs/ddi.md §8): veritysetup writes the hash area
     * into it, fallocate inserts room for the partition table, nothing is copied; with one, the DDI is a copy whose pages
     * the checksum reads. Signed or not, erofs or squashfs inside, the bytes are the same, and systemd's reader checks
     * them.
     */
    @Test
    void aDdiMadeInTheFileSystemsOwnFileHasTheBytesOfTheCopiedOne() throws Exception {
        keyPair(tmp);
        Files.write(tree.resolve("usr/lib/app/big.bin"), new byte[3 << 20]);
        for (DdiSettings settings : List.of(new DdiSettings(null, tmp.resolve("key.pem"), tmp.resolve("cert.pem"), null),
                new DdiSettings(BuildFormat.SQUASHFS, null, null, null))) {
            List<List<String>> inPlace = new java.util.ArrayList<>();
            new ImageBuilder(recording(inPlace)).withoutChecksum().build(BuildRequest.builder("app")
                    .source(new DirectorySource(tree)).extensionRelease(RELEASE).format(BuildFormat.DDI).ddi(settings)
                    .output(tmp.resolve("in-place.raw")).sourceDateEpoch(1234).force(true).build());
            assertThat(inPlace).as("the hash area goes into the file system's file")
                    .anyMatch(argv -> argv.get(0).equals("veritysetup") && argv.stream().anyMatch(
                            a -> a.startsWith("--hash-offset=")) && argv.get(argv.size() - 1).equals(argv.get(argv.size() - 2)));
            assertThat(inPlace).as("room inserted in front of it").anyMatch(argv -> argv.get(0).equals("fallocate")
                    && argv.containsAll(List.of("--insert-range", "--offset=0", "--length=20480")));
            List<List<String>> copied = new java.util.ArrayList<>();
            BuildReport full = new ImageBuilder(recording(copied)).build(BuildRequest.builder("app")
                    .source(new DirectorySource(tree)).extensionRelease(RELEASE).format(BuildFormat.DDI).ddi(settings)
                    .output(tmp.resolve("copied.raw")).sourceDateEpoch(1234).force(true).build());
            assertThat(copied).noneMatch(argv -> argv.get(0).equals("fallocate"));
            assertThat(full.sha256()).hasSize(64);
            assertThat(Files.readAllBytes(tmp.resolve("in-place.raw"))).as(settings.toString())
                    .isEqualTo(Files.readAllBytes(tmp.resolve("copied.raw")));
            DdiImage ddi = DdiImage.open(tmp.resolve("in-place.raw"));
            assertThat(ddi.verify()).isEmpty();
            assertThat(ddi.signature().isPresent()).isEqualTo(settings.signKey() != null);
            try (var files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString())).as("no scratch file left")
                        .noneMatch(n -> n.startsWith(".#"));
            }
        }
    }

    /** The real tools, every command line they are given added to {@code ran}. */
    private static NativeTools recording(List<List<String>> ran) {
        return new NativeTools(new dev.sysextctl.core.process.ProcessRunner() {
            final ZtProcessRunner real = new ZtProcessRunner();

            @Override
            public dev.sysextctl.core.process.ProcessResult run(dev.sysextctl.core.process.Command c)
                    throws dev.sysextctl.core.error.OperationFailedException {
                ran.add(c.argv());
                return real.run(c);
            }

            @Override
            public dev.sysextctl.core.process.RunningProcess start(dev.sysextctl.core.process.Command c)
                    throws dev.sysextctl.core.error.OperationFailedException {
                ran.add(c.argv());
                return real.start(c);
            }
        });
    }

    private static byte[] salt(DdiImage image) throws Exception {
        GptPartition v = image.verity().orElseThrow();
        return dev.sysextctl.core.image.ddi.VeritySuperblock.parse(partition(image.path(), v, 512)).salt();
    }

    @Test
    void signingNeedsKeyAndCertificateAndAReadableCertificate() throws Exception {
        assertThatThrownBy(() -> build(BuildFormat.DDI, new DdiSettings(null, tmp.resolve("key.pem"), null, null),
                "x.raw")).isInstanceOf(UsageException.class).hasMessage("signing needs both --sign-key KEY and "
                        + "--certificate CERT; give both, or neither for an unsigned DDI");
        Files.writeString(tmp.resolve("key.pem"), "not a key");
        Files.writeString(tmp.resolve("cert.pem"), "not a certificate");
        assertThatThrownBy(() -> build(BuildFormat.DDI, new DdiSettings(null, tmp.resolve("key.pem"),
                tmp.resolve("cert.pem"), null), "x.raw")).isInstanceOf(UsageException.class)
                .hasMessage(tmp.resolve("cert.pem") + " is not an X.509 certificate; give a PEM X.509 certificate "
                        + "with --certificate");
        assertThat(tmp.resolve("x.raw")).doesNotExist();
    }

    private ImageFileSystem open(Path image) throws Exception {
        return new ImageAccess(tools).open(ImageRequest.file(image, AccessPolicy.USERSPACE_OR_TOOL)).opened().fs();
    }
}
