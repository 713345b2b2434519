package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sysextctl.builder.ImageBuilderTest.FakeMksquashfs;
import dev.sysextctl.builder.write.ProcessIdentity;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A build from one source in a single scan gives what the two passes give: the same entries (headers and
 * contents), files and links in the same order (mksquashfs then writes the same image; SquashfsBuildIT compares
 * the bytes), the same report and findings, the same refusals. Where the single pass cannot decide like the two
 * passes (a repeated path, a hard link to a left-out file, ...), it gives up and the two passes build.
 */
class SinglePassTest {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));

    @TempDir
    Path tmp;

    static TreeEntry entry(String path, EntryType type, int mode, int uid, String target, Map<String, String> x) {
        return new TreeEntry(path, type, mode, uid, uid, 0, target, type.isSpecial() ? 1 : 0, type.isSpecial() ? 3 : 0,
                1234, x);
    }

    static Stream<Arguments> sources() {
        return Stream.of(
                Arguments.of("directories, files, links listed in order", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").dir("usr", 0755).dir("usr/bin", 0755).file("usr/bin/a", 0755, "#!/bin/sh\n")
                                .hardlink("usr/bin/a2", "usr/bin/a").symlink("usr/bin/b", "a").dir("opt", 0755)
                                .dir("opt/x", 0700).file("opt/x/data", "data").dir("usr/share/empty", 0755)),
                Arguments.of("no directory entries: implied parents", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/lib/a/b/c/file", "c").file("usr/lib/a/other", "o")
                                .file("opt/z/y", "y")),
                Arguments.of("a directory listed after its files, as implied", true,
                        (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/lib/app/f", "f").dir("usr/lib/app", 0755).dir("usr", 0755)),
                Arguments.of("a directory listed after its files, other mode", false,
                        (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/lib/app/f", "f").dir("usr/lib/app", 0700)),
                Arguments.of("etc left out, a hard link within usr", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("etc/app.conf", "conf").file("usr/bin/x", "x")
                                .hardlink("usr/bin/y", "usr/bin/x")),
                Arguments.of("a hard link to a file under etc", false, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("etc/app.conf", "conf").hardlink("usr/share/app.conf",
                                "etc/app.conf")),
                Arguments.of("the source's own extension-release", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/lib/extension-release.d/extension-release.app", "ID=fedora\n")
                                .file("usr/bin/x", "x")),
                Arguments.of("a repeated path", false, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/bin/x", "one").file("usr/bin/x", "two, longer")),
                Arguments.of("owners kept", true, (UnaryOperator<BuildRequest.Builder>) b -> b.keepOwnership(true),
                        new MemorySource("m").add(entry("usr/lib/app", EntryType.DIRECTORY, 0750, 1000, null, null), null)
                                .add(new TreeEntry("usr/lib/app/f", EntryType.FILE, 0640, 1000, 1001, 3, null, 0, 0, 9,
                                        null), "abc")),
                Arguments.of("special entries, modes and xattrs", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").add(entry("usr/bin/su", EntryType.FILE, 04755, 0, null,
                                Map.of("user.note", "x")), "").add(entry("usr/lib/wh", EntryType.CHAR_DEVICE, 0, 0, null,
                                null), null).add(entry("usr/lib/fifo", EntryType.FIFO, 0600, 0, null, null), null)
                                .add(entry("opt/app", EntryType.DIRECTORY, 0777, 0, null,
                                        Map.of("trusted.overlay.opaque", "y")), null)
                                .symlink("usr/lib/abs", "/etc/passwd")
                                .symlink("usr/lib/systemd/system/multi-user.target.wants/a.service", "../a.service")),
                Arguments.of("a hard link to a symlink", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").symlink("usr/bin/s", "t").hardlink("usr/bin/s2", "usr/bin/s")
                                .file("usr/bin/t", "t")),
                Arguments.of("an entry below a symlink of the same source", true,
                        (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/bin/x", "x").symlink("usr/lib", "/tmp").file("usr/lib/evil", "e")),
                Arguments.of("a broken hard link", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").hardlink("usr/bin/y", "usr/bin/x").file("usr/bin/x", "x")),
                Arguments.of("strict with warnings", true, (UnaryOperator<BuildRequest.Builder>) b -> b.strict(true),
                        new MemorySource("m").file("usr/bin/x", "x").file("etc/y", "y")),
                Arguments.of("only etc: an empty image", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("etc/y", "y")),
                Arguments.of("content outside usr and opt", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/bin/x", "x").file("var/lib/y", "y").file("srv/z", "z")),
                Arguments.of("another extension's release file", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/bin/x", "x")
                                .file("usr/lib/extension-release.d/extension-release.other", "ID=_any\n")),
                Arguments.of("usr/lib/os-release", true, (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/bin/x", "x").file("usr/lib/os-release", "ID=x\n")),
                Arguments.of("a file where the release's directory goes", false,
                        (UnaryOperator<BuildRequest.Builder>) b -> b,
                        new MemorySource("m").file("usr/bin/x", "x").file("usr/lib/extension-release.d", "oops")));
    }

    record Outcome(BuildReport report, RefusedException refusal, FakeMksquashfs fake) {
        long builds() {
            return fake.commands.stream().filter(c -> c.argv().contains("-tar")).count();
        }
    }

    private Outcome build(MemorySource source, UnaryOperator<BuildRequest.Builder> options, boolean twoPass,
            String out) {
        FakeMksquashfs fake = new FakeMksquashfs();
        ImageBuilder b = new ImageBuilder(new NativeTools(fake), new ProcessIdentity(0, 0));
        if (twoPass) {
            b = b.twoPass();
        }
        ImageBuilder builder = b;
        BuildReport[] report = new BuildReport[1];
        Throwable t = catchThrowable(() -> report[0] = builder.build(options.apply(BuildRequest.builder("app")
                .source(source).extensionRelease(RELEASE).output(tmp.resolve(out)).sourceDateEpoch(42)).build()));
        if (t != null && !(t instanceof RefusedException)) {
            throw new AssertionError(t);
        }
        return new Outcome(report[0], (RefusedException) t, fake);
    }

    /** Every entry of the stream: path → header fields and content. */
    static Map<String, String> entries(byte[] tar) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                out.put(e.getName(), e.getMode() + " " + e.getLongUserId() + ":" + e.getLongGroupId() + " "
                        + e.getModTime().getTime() + " " + (char) e.getLinkFlag() + " " + e.getLinkName() + " "
                        + e.getDevMajor() + "," + e.getDevMinor() + " " + new TreeMap<>(e.getExtraPaxHeaders()) + " "
                        + new String(in.readAllBytes()));
            }
        }
        return out;
    }

    /** The non-directories in stream order: the order in which mksquashfs writes their data. */
    static List<String> contentOrder(byte[] tar) throws Exception {
        List<String> out = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (!e.isDirectory()) {
                    out.add(e.getName());
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void theSinglePassBuildsWhatTheTwoPassesBuild(String name, boolean singlePass,
            UnaryOperator<BuildRequest.Builder> options, MemorySource source) throws Exception {
        Outcome one = build(source, options, false, "one.raw");
        Outcome two = build(source, options, true, "two.raw");
        if (two.refusal() != null) {
            assertThat(one.refusal()).as("refused as by the two passes").isNotNull();
            assertThat(one.refusal().getMessage()).isEqualTo(two.refusal().getMessage());
            assertThat(one.refusal().findings()).isEqualTo(two.refusal().findings());
            assertThat(one.fake().tar).as("no image written").isNull();
            return;
        }
        assertThat(one.refusal()).isNull();
        assertThat(one.builds()).as("mksquashfs runs (1: the single pass built; 2: it gave up)")
                .isEqualTo(singlePass ? 1 : 2);
        assertThat(entries(one.fake().tar)).isEqualTo(entries(two.fake().tar));
        assertThat(contentOrder(one.fake().tar)).isEqualTo(contentOrder(two.fake().tar));
        BuildReport a = one.report();
        BuildReport b = two.report();
        assertThat(a.lint()).isEqualTo(b.lint());
        assertThat(a.fileCount()).isEqualTo(b.fileCount());
        assertThat(a.hierarchies()).isEqualTo(b.hierarchies());
        assertThat(a.extensionRelease()).isEqualTo(b.extensionRelease());
        assertThat(a.tools()).isEqualTo(b.tools());
        assertThat(a.sha256()).isEqualTo(b.sha256());
    }
}
