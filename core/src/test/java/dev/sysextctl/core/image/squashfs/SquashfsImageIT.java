package dev.sysextctl.core.image.squashfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.tools.DefaultUnsquashfs;
import dev.sysextctl.core.tools.ToolVersionCache;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SquashfsImage against images made by the real mksquashfs with every compressor and layout option, entry by
 * entry against what unsquashfs lists (type, mode, owner, size, link target, device numbers, mtime) and extracts
 * (content, every xattr as getfattr reads it).
 */
@Requires(root = true, tools = {"mksquashfs", "unsquashfs", "setfattr", "getfattr", "mknod"})
class SquashfsImageIT {
    @TempDir
    static Path tmp;
    static Path src;

    @BeforeAll
    static void tree() throws IOException {
        src = SquashfsFixtures.richTree(tmp);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of("gzip", List.of()),
                Arguments.of("gzip-level1-window8", List.of("-Xcompression-level", "1", "-Xwindow-size", "8")),
                Arguments.of("xz", List.of("-comp", "xz")),
                Arguments.of("xz-bcj-x86", List.of("-comp", "xz", "-Xbcj", "x86,arm")),
                Arguments.of("lzma", List.of("-comp", "lzma")),
                Arguments.of("lz4", List.of("-comp", "lz4")),
                Arguments.of("lz4-hc", List.of("-comp", "lz4", "-Xhc")),
                Arguments.of("zstd", List.of("-comp", "zstd")),
                Arguments.of("zstd-1m-blocks", List.of("-comp", "zstd", "-b", "1M")),
                Arguments.of("uncompressed", List.of("-noI", "-noD", "-noF", "-noX")),
                Arguments.of("uncompressed-4k-blocks", List.of("-noI", "-noD", "-noF", "-noX", "-b", "4K")),
                Arguments.of("gzip-4k-blocks", List.of("-b", "4K")),
                Arguments.of("no-fragments", List.of("-no-fragments")),
                Arguments.of("tail-ends", List.of("-always-use-fragments")),
                Arguments.of("no-sparse", List.of("-no-sparse", "-comp", "lz4")),
                Arguments.of("no-xattrs", List.of("-no-xattrs")),
                Arguments.of("no-duplicates-no-exports", List.of("-no-duplicates", "-no-exports")),
                Arguments.of("all-root-nopad", List.of("-all-root", "-nopad")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void readsEveryEntryAsUnsquashfsListsAndExtractsIt(String name, List<String> options) throws Exception {
        Path image = SquashfsFixtures.mksquashfs(src, tmp.resolve(name + ".img"), options);
        List<TreeEntry> listed = unsquashfsListing(image);
        Path out = tmp.resolve(name + ".out");
        Shell.run("unsquashfs", "-no-progress", "-d", out.toString(), image.toString()).assertSuccess();
        Map<String, Map<String, String>> extractedXattrs = getfattr(out);

        Map<String, Inode> walked = new LinkedHashMap<>();
        try (SquashfsImage img = SquashfsImage.open(image)) {
            img.walk((p, in) -> {
                walked.put(p, in);
                return true;
            });
            assertThat(walked.keySet()).containsExactlyElementsOf(listed.stream().map(TreeEntry::path).toList());
            int files = 0;
            int withXattrs = 0;
            for (TreeEntry want : listed) {
                Inode in = walked.get(want.path());
                String at = name + ": " + want.path();
                assertThat(in.type()).as(at).isEqualTo(want.type());
                assertThat(in.mode()).as(at).isEqualTo(want.mode());
                assertThat(in.uid()).as(at).isEqualTo(want.uid());
                assertThat(in.gid()).as(at).isEqualTo(want.gid());
                assertThat(in.mtime() / 60 * 60).as(at).isEqualTo(want.mtime());
                switch (in.type()) {
                    case FILE -> {
                        assertThat(in.size()).as(at).isEqualTo(want.size());
                        byte[] extracted = Files.readAllBytes(out.resolve(want.path()));
                        assertThat(img.read(in)).as(at).isEqualTo(extracted);
                        try (var streamed = img.stream(in)) {
                            assertThat(streamed.readAllBytes()).as(at + " (streamed)").isEqualTo(extracted);
                        }
                        files++;
                    }
                    case SYMLINK -> {
                        assertThat(img.symlinkTarget(in)).as(at).isEqualTo(want.linkTarget());
                        assertThat(in.size()).as(at).isEqualTo(want.size());
                    }
                    case CHAR_DEVICE, BLOCK_DEVICE -> {
                        // unsquashfs 4.5 lists large device numbers wrongly (7,300 as 4103,44); it extracts them right
                        Inode.DeviceLayout d = (Inode.DeviceLayout) in.layout();
                        assertThat(List.of(d.major(), d.minor())).as(at).isEqualTo(deviceNumbers(out.resolve(
                                want.path())));
                    }
                    default -> {
                        // directories, FIFOs, sockets: the type says it all
                    }
                }
                Map<String, String> xattrs = hex(img.xattrs(in));
                assertThat(xattrs).as(at).isEqualTo(extractedXattrs.getOrDefault(want.path(), Map.of()));
                withXattrs += xattrs.isEmpty() ? 0 : 1;
                assertThat(img.lookup(want.path()).map(Inode::ref)).as(at).contains(in.ref());
            }
            assertThat(files).isGreaterThan(SquashfsFixtures.MANY);
            assertThat(withXattrs).isEqualTo(extractedXattrs.size());
            assertThat(withXattrs).isGreaterThan(name.equals("no-xattrs") ? -1 : 400);
        }
    }

    @Test
    void findsEveryNameOfABigDirectoryThroughItsIndexAndNoOthers() throws Exception {
        Path image = SquashfsFixtures.mksquashfs(src, tmp.resolve("index.img"), List.of());
        try (SquashfsImage img = SquashfsImage.open(image)) {
            Inode many = img.lookup("usr/lib/many").orElseThrow();
            assertThat(((Inode.DirectoryLayout) many.layout()).indexCount()).isGreaterThan(1);
            List<DirEntry> all = img.list(many);
            assertThat(all).hasSize(SquashfsFixtures.MANY);
            for (DirEntry e : all) {
                assertThat(img.find(many, e.name())).as(e.name()).contains(e);
            }
            for (String missing : List.of("a", "file-with-a-longish-name-", "file-with-a-longish-name-10x",
                    "file-with-a-longish-name-999a", "zzz", "file-with-a-longish-name-2000")) {
                assertThat(img.find(many, missing)).as(missing).isEmpty();
            }
            assertThat(img.lookup("usr/lib/" + SquashfsFixtures.LONG_NAME)).isPresent();
            assertThat(img.lookup("usr/lib/grüße-ünïcødé")).isPresent();
            assertThat(img.lookup("usr/bin/hi/hello")).isEmpty();
            assertThat(img.lookup("usr//lib/./many")).isEmpty();
        }
    }

    @Test
    void imageFsAnswersLikeTheUnsquashfsListingWithoutFallingBack() throws Exception {
        Path image = SquashfsFixtures.mksquashfs(src, tmp.resolve("fs.img"), List.of("-comp", "zstd"));
        List<TreeEntry> listed = unsquashfsListing(image);
        try (SquashfsImageFs fs = new SquashfsImageFs(image, failingUnsquashfs())) {
            List<TreeEntry> walked = fs.walk();
            assertThat(walked.stream().map(SquashfsImageIT::comparable).toList())
                    .isEqualTo(listed.stream().map(SquashfsImageIT::comparable).toList());
            for (TreeEntry e : listed) {
                assertThat(fs.lstat(e.path()).map(SquashfsImageIT::comparable)).contains(comparable(e));
            }
            TreeEntry blk = fs.lstat("usr/lib/blk").orElseThrow();
            TreeEntry chr = fs.lstat("usr/lib/chr").orElseThrow();
            assertThat(List.of(blk.devMajor(), blk.devMinor(), chr.devMajor(), chr.devMinor()))
                    .containsExactly(7, 300, 300, 70000);
            assertThat(fs.list("usr/bin").stream().map(TreeEntry::name).toList())
                    .containsExactly("abs", "empty", "hello", "hello-again", "hi");
            assertThat(fs.list("usr/bin/hello")).isEmpty();
            assertThat(fs.list("nowhere")).isEmpty();
            assertThat(fs.lstat("usr/bin/hello-again").orElseThrow().type()).isEqualTo(EntryType.FILE);
            assertThat(new String(fs.read("usr/lib/extension-release.d/extension-release.other"))).isEqualTo("ID=_any\n");
            assertThat(fs.xattrs("usr/lib/extension-release.d/extension-release.other"))
                    .isEqualTo(Map.of("user.extension-release.strict", "0"));
            assertThat(fs.xattrs("usr/bin/hello")).isEmpty();
            // overlayfs' opaque marker is reported (compose honours it); other trusted./security. ones are not
            assertThat(fs.xattrs("opt/empty")).isEqualTo(Map.of("trusted.overlay.opaque", "y"));
            assertThat(fs.xattrs("missing")).isEmpty();
            assertThatThrownBy(() -> fs.read("usr/bin/hi")).hasMessageContaining("not a regular file");
            assertThatThrownBy(() -> fs.read("missing")).hasMessageContaining("does not exist");
            assertThat(fs.fallbackReason()).isEmpty();
        }
    }

    @Test
    void lzoImagesAreReadThroughUnsquashfsAndSayWhy() throws Exception {
        Path small = SquashfsFixtures.smallTree(tmp);
        Path image = SquashfsFixtures.mksquashfs(small, tmp.resolve("lzo.img"), List.of("-comp", "lzo"));
        assertThatThrownBy(() -> SquashfsImage.open(image)).isInstanceOf(UnsupportedSquashfsException.class)
                .hasMessageContaining("lzo");
        DefaultUnsquashfs unsquashfs = new DefaultUnsquashfs(new ZtProcessRunner(), new ToolVersionCache());
        try (SquashfsImageFs fs = new SquashfsImageFs(image, unsquashfs)) {
            assertThat(fs.walk()).isEqualTo(unsquashfsListing(image));
            assertThat(fs.read("usr/bin/tool")).isEqualTo(Files.readAllBytes(small.resolve("usr/bin/tool")));
            assertThat(fs.xattrs("usr/lib/extension-release.d/extension-release.small"))
                    .isEqualTo(Map.of("user.extension-release.strict", "0"));
            assertThat(fs.fallbackReason()).hasValueSatisfying(r -> assertThat(r).contains("lzo"));
        }
        assertThatThrownBy(() -> SquashfsImageFs.withoutFallback(image).lstat("usr"))
                .isInstanceOf(UnsupportedSquashfsException.class);
    }

    @Test
    void aCorruptImageFallsBackAndReportsTheJavaReadersDiagnosisWhenUnsquashfsFailsToo() throws Exception {
        Path small = SquashfsFixtures.smallTree(tmp);
        Path image = SquashfsFixtures.mksquashfs(small, tmp.resolve("broken.img"), List.of());
        byte[] b = Files.readAllBytes(image);
        b[28] = 3; // squashfs 3.0
        Files.write(image, b);
        try (SquashfsImageFs fs = new SquashfsImageFs(image, failingUnsquashfs())) {
            assertThatThrownBy(() -> fs.lstat("usr")).hasMessageContaining("unsquashfs says no")
                    .hasMessageContaining("squashfs 3.0");
        }
        b[28] = 4;
        b[0] = 'x';
        Files.write(image, b);
        try (SquashfsImageFs fs = new SquashfsImageFs(image, failingUnsquashfs())) {
            assertThatThrownBy(() -> fs.lstat("usr")).hasMessageContaining("no squashfs magic")
                    .hasMessageContaining("not a valid squashfs image");
        }
    }

    /** Without device numbers (unsquashfs 4.5 lists large ones wrongly) and with mtime to the minute. */
    static TreeEntry comparable(TreeEntry e) {
        return new TreeEntry(e.path(), e.type(), e.mode(), e.uid(), e.gid(), e.size(), e.linkTarget(), 0, 0,
                e.mtime() / 60 * 60, e.xattrs());
    }

    /** An unsquashfs that must not be needed. */
    private static dev.sysextctl.core.tools.Unsquashfs failingUnsquashfs() {
        return new dev.sysextctl.core.tools.Unsquashfs() {
            @Override
            public String version() throws dev.sysextctl.core.error.OperationFailedException {
                throw new dev.sysextctl.core.error.OperationFailedException("unsquashfs says no");
            }

            @Override
            public List<TreeEntry> list(Path image) throws dev.sysextctl.core.error.OperationFailedException {
                throw new dev.sysextctl.core.error.OperationFailedException("unsquashfs says no");
            }

            @Override
            public byte[] cat(Path image, String path) throws dev.sysextctl.core.error.OperationFailedException {
                throw new dev.sysextctl.core.error.OperationFailedException("unsquashfs says no");
            }

            @Override
            public void extract(Path image, Path destination, List<String> paths)
                    throws dev.sysextctl.core.error.OperationFailedException {
                throw new dev.sysextctl.core.error.OperationFailedException("unsquashfs says no");
            }
        };
    }

    /** major, minor of a device node (glibc's encoding of st_rdev). */
    static List<Integer> deviceNumbers(Path node) throws IOException {
        long rdev = (Long) Files.getAttribute(node, "unix:rdev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        return List.of((int) (((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL)),
                (int) ((rdev & 0xff) | ((rdev >> 12) & ~0xffL)));
    }

    static List<TreeEntry> unsquashfsListing(Path image) {
        String out = Shell.run(List.of("unsquashfs", "-lln", "-no-progress", image.toString()), Map.of("TZ", "UTC"),
                null, 600).assertSuccess().stdout();
        return DefaultUnsquashfs.parseListing(out);
    }

    /** Every xattr of every file under {@code dir} (relative paths), values in hex, as getfattr reads them. */
    static Map<String, Map<String, String>> getfattr(Path dir) {
        String out = Shell.run("getfattr", "-R", "-h", "-d", "-m", "-", "-e", "hex", "--absolute-names",
                dir.toString()).assertSuccess().stdout();
        Map<String, Map<String, String>> all = new HashMap<>();
        String file = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("# file: ")) {
                Path p = Path.of(line.substring(8));
                file = p.equals(dir) ? "" : dir.relativize(p).toString();
            } else if (!line.isBlank() && file != null) {
                int eq = line.indexOf('=');
                String value = line.substring(eq + 1);
                all.computeIfAbsent(file, k -> new TreeMap<>()).put(line.substring(0, eq),
                        value.startsWith("0x") ? value.substring(2) : value);
            }
        }
        return all;
    }

    static Map<String, String> hex(Map<String, byte[]> xattrs) {
        Map<String, String> out = new TreeMap<>();
        xattrs.forEach((k, v) -> out.put(k, HexFormat.of().formatHex(v)));
        return out;
    }
}
