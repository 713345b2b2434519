package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.write.ProcessIdentity;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.StdinFailedException;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.DefaultChecksums;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import dev.sysextctl.core.tools.DefaultMksquashfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageBuilderTest {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));

    @TempDir
    Path tmp;
    Path tree;

    @BeforeEach
    void tree() throws IOException {
        Fixtures.init();
        tree = tmp.resolve("tree");
        Fixtures.file(tree, "usr/bin/hello", "#!/bin/sh\necho hi\n");
        Files.setAttribute(tree.resolve("usr/bin/hello"), "unix:mode", 0755);
        Fixtures.file(tree, "etc/hello.conf", "x");
    }

    private BuildRequest.Builder request(String out) throws UsageException {
        return BuildRequest.builder("hello").source(new DirectorySource(tree)).extensionRelease(RELEASE)
                .output(tmp.resolve(out));
    }

    /** Answers like mksquashfs: reads the tar from stdin, writes the output file, records everything. */
    static final class FakeMksquashfs implements ProcessRunner {
        final List<Command> commands = new ArrayList<>();
        byte[] tar;
        int exit;

        @Override
        public ProcessResult run(Command c) throws StdinFailedException {
            commands.add(c);
            if (c.argv().contains("-version")) {
                return new ProcessResult(c.argv(), 0, "mksquashfs version 4.5.1 (2022/03/17)\n", "");
            }
            if (c.argv().contains("-help")) {
                return new ProcessResult(c.argv(), 0, "-tar\t\tread uncompressed tar file from standard in\n", "");
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                c.stdin().writeTo(b);
                tar = b.toByteArray();
                if (exit == 0) {
                    Files.write(Path.of(c.argv().get(2)), "hsqs-fake".getBytes());
                } else {
                    Files.write(Path.of(c.argv().get(2)), "half".getBytes());
                }
            } catch (IOException e) {
                throw new StdinFailedException("mksquashfs", e);
            }
            return new ProcessResult(c.argv(), exit, "", exit == 0 ? "" : "FATAL ERROR: disk full\n");
        }
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".#")).toList();
        }
    }

    @Test
    void squashfsIsStreamedAsATarIntoMksquashfsAndRenamedIntoPlace() throws Exception {
        FakeMksquashfs fake = new FakeMksquashfs();
        BuildReport r = new ImageBuilder(new NativeTools(fake)).build(request("hello.raw").sourceDateEpoch(42)
                .build());
        Command build = fake.commands.get(fake.commands.size() - 1);
        String tmpName = build.argv().get(2);
        List<String> expected = new ArrayList<>(List.of("mksquashfs", "-", tmpName, "-tar", "-noappend", "-no-progress",
                "-quiet", "-no-tailends", "-comp", "zstd", "-all-time", "42", "-mkfs-time", "42", "-root-time", "42",
                "-root-mode", "0755", "-all-root"));
        expected.addAll(DefaultMksquashfs.memoryArgs());
        assertThat(build.argv()).containsExactlyElementsOf(expected);
        assertThat(Path.of(tmpName).getFileName().toString()).startsWith(".#hello.raw.sysextctl-");
        assertThat(build.environment()).containsEntry("SOURCE_DATE_EPOCH", null);
        assertThat(Files.readString(tmp.resolve("hello.raw"))).isEqualTo("hsqs-fake");
        assertThat(leftovers(tmp)).isEmpty();

        // One source: a single scan, each entry as it comes (its missing parents first), the release last.
        assertThat(tarNames(fake.tar)).containsExactly("usr/", "usr/bin/", "usr/bin/hello", "usr/lib/",
                "usr/lib/extension-release.d/", "usr/lib/extension-release.d/extension-release.hello");
        // The two passes: every directory first, then the files in source order; mksquashfs writes the same image.
        FakeMksquashfs twoPass = new FakeMksquashfs();
        new ImageBuilder(new NativeTools(twoPass)).twoPass().build(request("hello2.raw").sourceDateEpoch(42).build());
        assertThat(tarNames(twoPass.tar)).containsExactly("usr/", "usr/bin/", "usr/lib/",
                "usr/lib/extension-release.d/", "usr/bin/hello", "usr/lib/extension-release.d/extension-release.hello");

        assertThat(r.name()).isEqualTo("hello");
        assertThat(r.output()).isEqualTo(tmp.resolve("hello.raw").toString());
        assertThat(r.format()).isEqualTo("squashfs");
        assertThat(r.compression()).isEqualTo("zstd");
        assertThat(r.sizeBytes()).isEqualTo(9);
        assertThat(r.sha256()).hasSize(64);
        assertThat(r.fileCount()).isEqualTo(6);
        assertThat(r.hierarchies()).containsExactly("usr");
        assertThat(r.tools()).containsEntry("mksquashfs", "4.5.1");
        assertThat(r.lint()).extracting(Finding::id).containsExactly("etc-content");
    }

    static List<String> tarNames(byte[] tar) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                assertThat(e.getLastModifiedDate().getTime()).isEqualTo(42000);
                assertThat(e.getLongUserId()).isZero();
            }
        }
        return names;
    }

    @Test
    void aFailedMksquashfsLeavesNothingBehind() throws Exception {
        FakeMksquashfs fake = new FakeMksquashfs();
        fake.exit = 1;
        assertThatThrownBy(() -> new ImageBuilder(new NativeTools(fake)).build(request("hello.raw").build()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("disk full");
        assertThat(tmp.resolve("hello.raw")).doesNotExist();
        assertThat(leftovers(tmp)).isEmpty();
    }

    @Test
    void keepOwnershipAndCompressionReachTheArgv() throws Exception {
        FakeMksquashfs fake = new FakeMksquashfs();
        new ImageBuilder(new NativeTools(fake)).build(request("hello.raw").keepOwnership(true)
                .compression(Compression.LZ4HC).build());
        assertThat(fake.commands.get(fake.commands.size() - 1).argv()).contains("-comp", "lz4", "-Xhc", "-root-uid",
                "0", "-root-gid", "0").doesNotContain("-all-root");
    }

    @Test
    void lintErrorsRefuseTheBuildAndNothingIsLeftBehind() throws Exception {
        Fixtures.file(tree, "var/lib/state", "x");
        FakeMksquashfs fake = new FakeMksquashfs();
        assertThatThrownBy(() -> new ImageBuilder(new NativeTools(fake)).build(request("hello.raw").build()))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.getMessage()).contains("1 lint error (outside-hierarchy)");
                    assertThat(e.findings()).extracting(Finding::id).containsExactly("outside-hierarchy",
                            "etc-content");
                });
        // The single pass fed mksquashfs until it met var/, then stopped it: no image, no temporary file.
        assertThat(fake.tar).isNull();
        assertThat(tmp.resolve("hello.raw")).doesNotExist();
        assertThat(leftovers(tmp)).isEmpty();
        // The two passes refuse before starting mksquashfs at all.
        FakeMksquashfs twoPass = new FakeMksquashfs();
        assertThatThrownBy(() -> new ImageBuilder(new NativeTools(twoPass)).twoPass().build(request("hello.raw")
                .build())).isInstanceOf(RefusedException.class);
        assertThat(twoPass.commands).isEmpty();
    }

    @Test
    void strictTurnsWarningsIntoErrors() throws Exception {
        assertThatThrownBy(() -> new ImageBuilder(new NativeTools(new FakeMksquashfs()))
                .build(request("hello.raw").strict(true).build()))
                .isInstanceOf(RefusedException.class).hasMessageContaining("etc-content");
        assertThat(new ImageBuilder(new NativeTools(new FakeMksquashfs())).lint(request("x").strict(true).build()))
                .extracting(Finding::id, f -> f.isError()).containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "etc-content", true));
    }

    @Test
    void anExistingOutputNeedsForce() throws Exception {
        Files.writeString(tmp.resolve("hello.raw"), "old");
        FakeMksquashfs fake = new FakeMksquashfs();
        assertThatThrownBy(() -> new ImageBuilder(new NativeTools(fake)).build(request("hello.raw").build()))
                .isInstanceOf(UsageException.class).hasMessageContaining("already exists; pass --force");
        assertThat(Files.readString(tmp.resolve("hello.raw"))).isEqualTo("old");
        new ImageBuilder(new NativeTools(fake)).build(request("hello.raw").force(true).build());
        assertThat(Files.readString(tmp.resolve("hello.raw"))).isEqualTo("hsqs-fake");
    }

    @Test
    void requestsTheFormatCannotHonourAreUsageErrors() {
        ImageBuilder b = new ImageBuilder(new NativeTools(new FakeMksquashfs()));
        assertThatThrownBy(() -> b.build(request("x.raw").format(BuildFormat.EROFS).compression(Compression.ZSTD)
                .build())).isInstanceOf(UsageException.class).hasMessageContaining("lz4hc, lz4 or none");
        assertThatThrownBy(() -> b.build(request("x").format(BuildFormat.DIRECTORY).compression(Compression.XZ)
                .build())).isInstanceOf(UsageException.class).hasMessageContaining("not compressed");
        assertThatThrownBy(() -> b.build(BuildRequest.builder("x").build())).isInstanceOf(UsageException.class)
                .hasMessageContaining("no source");
        assertThatThrownBy(() -> b.build(request("x.raw").sourceDateEpoch(1L << 33).build()))
                .isInstanceOf(UsageException.class).hasMessageContaining("out of range");
    }

    @Test
    void aDirectoryExtensionIsWrittenWithARepeatableDigest() throws Exception {
        ImageBuilder b = new ImageBuilder(new NativeTools(new FakeMksquashfs()), new ProcessIdentity(0, 0));
        BuildReport one = b.build(request("one").format(BuildFormat.DIRECTORY).sourceDateEpoch(5).build());
        BuildReport two = b.build(request("two").format(BuildFormat.DIRECTORY).sourceDateEpoch(5).build());
        Path out = tmp.resolve("one");
        assertThat(Files.readString(out.resolve("usr/lib/extension-release.d/extension-release.hello")))
                .isEqualTo(RELEASE.render());
        assertThat(Files.getAttribute(out.resolve("usr/bin/hello"), "unix:mode")).isEqualTo(0100755);
        assertThat(out.resolve("etc")).doesNotExist();
        assertThat(Files.getLastModifiedTime(out.resolve("usr/bin")).toMillis()).isEqualTo(5000);
        assertThat(one.format()).isEqualTo("directory");
        assertThat(one.compression()).isEqualTo("none");
        assertThat(one.sha256()).isEqualTo(two.sha256()).hasSize(64);
        assertThat(one.sizeBytes()).isEqualTo(18 + RELEASE.render().length());
        assertThat(one.tools()).isEmpty();
        assertThat(leftovers(tmp)).isEmpty();
        BuildReport again = b.build(request("one").format(BuildFormat.DIRECTORY).sourceDateEpoch(6).force(true)
                .build());
        assertThat(again.sha256()).isNotEqualTo(one.sha256());
        assertThat(leftovers(tmp)).isEmpty();
    }

    @Test
    void anUnprivilegedDirectoryBuildSaysItsFilesAreNotRoots() throws Exception {
        ImageBuilder b = new ImageBuilder(new NativeTools(new FakeMksquashfs()), new ProcessIdentity(1000, 1000));
        BuildReport r = b.build(request("d").format(BuildFormat.DIRECTORY).build());
        assertThat(r.lint()).extracting(Finding::id).contains("non-root-owner");
    }

    @Test
    void deviceNodesForErofsOrDirectoriesNeedRoot() throws Exception {
        MemorySource withDevice = new MemorySource("m").file("usr/bin/x", "x")
                .add(new dev.sysextctl.core.tree.TreeEntry("usr/lib/wh", EntryType.CHAR_DEVICE, 0, 0, 0, 0, null, 0, 0, 0,
                        null), null);
        ImageBuilder b = new ImageBuilder(new NativeTools(new FakeMksquashfs()), new ProcessIdentity(1000, 1000));
        assertThatThrownBy(() -> b.build(BuildRequest.builder("x").source(withDevice).extensionRelease(RELEASE)
                .format(BuildFormat.DIRECTORY).output(tmp.resolve("d")).build()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("only root can create");
        assertThat(tmp.resolve("d")).doesNotExist();
    }

    @Test
    void theSourcesOwnReleaseFileIsReplacedWithAWarning() throws Exception {
        Fixtures.file(tree, "usr/lib/extension-release.d/extension-release.hello", "ID=fedora\n");
        ImageBuilder b = new ImageBuilder(new NativeTools(new FakeMksquashfs()), new ProcessIdentity(0, 0));
        BuildReport r = b.build(request("d").format(BuildFormat.DIRECTORY).build());
        assertThat(r.lint()).extracting(Finding::id).contains("release-replaced");
        assertThat(Files.readString(tmp.resolve("d/usr/lib/extension-release.d/extension-release.hello")))
                .isEqualTo(RELEASE.render());
    }

    /**
     * {@link FakeMksquashfs} writing an image as large as the checksum hands to openssl ({@code
     * DefaultChecksums.NATIVE_FROM_BYTES}, sparse), and answering openssl's digest; records every openssl argv.
     */
    static final class LargeImageFake implements ProcessRunner {
        final FakeMksquashfs mksquashfs = new FakeMksquashfs();
        final List<List<String>> openssl = new ArrayList<>();

        @Override
        public ProcessResult run(Command c) throws StdinFailedException {
            if (c.argv().get(0).equals("openssl")) {
                openssl.add(c.argv());
                return new ProcessResult(c.argv(), 0, "ab".repeat(32) + " *" + c.argv().get(4) + "\n", "");
            }
            ProcessResult r = mksquashfs.run(c);
            if (c.argv().contains("-tar")) {
                try (RandomAccessFile f = new RandomAccessFile(c.argv().get(2), "rw")) {
                    f.setLength(DefaultChecksums.NATIVE_FROM_BYTES);
                } catch (IOException e) {
                    throw new StdinFailedException("mksquashfs", e);
                }
            }
            return r;
        }
    }

    @Test
    void withoutChecksumNoDigestIsComputedAndTheReportHasNone() throws Exception {
        for (boolean twoPass : new boolean[] {false, true}) {
            LargeImageFake fake = new LargeImageFake();
            ImageBuilder builder = new ImageBuilder(new NativeTools(fake));
            builder = twoPass ? builder.twoPass() : builder;
            String tag = twoPass ? "-two-pass" : "";
            BuildReport summed = builder.build(request("summed" + tag + ".raw").build());
            assertThat(fake.openssl).as("two passes: " + twoPass).containsExactly(List.of("openssl", "dgst", "-sha256",
                    "-r", tmp.resolve("summed" + tag + ".raw").toString()));
            assertThat(summed.sha256()).isEqualTo("ab".repeat(32));

            fake.openssl.clear();
            BuildReport quiet = builder.withoutChecksum().build(request("quiet" + tag + ".raw").build());
            assertThat(fake.openssl).as("two passes: " + twoPass).isEmpty();
            assertThat(quiet.sha256()).isNull();
            assertThat(quiet.sizeBytes()).isEqualTo(DefaultChecksums.NATIVE_FROM_BYTES);
            assertThat(Files.size(tmp.resolve("quiet" + tag + ".raw"))).isEqualTo(quiet.sizeBytes());
        }
    }
}
