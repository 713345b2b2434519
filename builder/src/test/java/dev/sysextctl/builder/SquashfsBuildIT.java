package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.source.TarSource;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images built from a directory and from tar archives in every compression, read back with the real unsquashfs
 * and compared entry by entry (type, mode, owner, link target, device numbers, content, xattrs).
 */
@Requires(root = true, tools = {"mksquashfs", "unsquashfs", "tar", "gzip", "xz", "zstd", "bzip2", "mknod"})
class SquashfsBuildIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "debian", "VERSION_ID", "12",
            "ARCHITECTURE", "x86-64"));

    @TempDir
    Path tmp;
    Path tree;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    /** A tree with every kind of entry a sysext may hold, made as root with the real tools. */
    static Path makeTree(Path tree) throws Exception {
        Files.createDirectories(tree);
        Shell.shOk("cd '" + tree + "' && mkdir -p usr/bin usr/lib/app usr/share/empty opt/app/tmp etc/app "
                + "usr/share/doc/\"sp ace\" usr/share/ünïcode && "
                + "printf '#!/bin/sh\\necho tool\\n' > usr/bin/tool && chmod 4755 usr/bin/tool && "
                + "ln usr/bin/tool usr/bin/tool-hard && ln -s tool usr/bin/tool-soft && "
                + "ln -s /usr/lib/app/lib.so.1 usr/lib/libapp.so && "
                + "head -c 300000 /dev/urandom > usr/lib/app/lib.so.1 && "
                + "printf data > 'usr/share/doc/sp ace/file' && printf u > usr/share/ünïcode/ß && "
                + "mkdir -p usr/share/" + "deep/".repeat(30) + " && printf deep > usr/share/" + "deep/".repeat(30)
                + "leaf-with-a-rather-long-name-to-need-pax-headers.txt && "
                + "chmod 1777 opt/app/tmp && chmod 2755 usr/lib/app && chmod 0700 usr/share/empty && "
                + "mknod usr/lib/whiteout c 0 0 && mkfifo -m 0600 usr/lib/fifo && "
                + "printf conf > etc/app/app.conf && chown 1000:1000 usr/lib/app/lib.so.1 && "
                + ": > usr/bin/empty-file");
        Fixtures.xattr(tree.resolve("usr/bin/tool"), "user.note", "a text attribute");
        Fixtures.xattr(tree.resolve("usr/lib/app"), "user.dir", "on a directory");
        return tree;
    }

    @BeforeEach
    void setUp() throws Exception {
        tree = makeTree(tmp.resolve("tree"));
    }

    private BuildReport build(String out, ImageSource... sources) throws Exception {
        return new ImageBuilder(tools).build(BuildRequest.builder("app").sources(List.of(sources))
                .extensionRelease(RELEASE).output(tmp.resolve(out)).sourceDateEpoch(1700000000).build());
    }

    private Map<String, ImageContents.Item> readBack(Path image) throws Exception {
        Path x = tmp.resolve("x-" + image.getFileName());
        Shell.shOk("unsquashfs -no-progress -d '" + x + "' '" + image + "' >/dev/null");
        assertThat(ImageContents.sameInode(x.resolve("usr/bin/tool"), x.resolve("usr/bin/tool-hard"))).isTrue();
        assertThat(Files.readString(x.resolve("usr/lib/extension-release.d/extension-release.app")))
                .isEqualTo(RELEASE.render());
        try (SquashfsImageFs fs = new SquashfsImageFs(image, tools.unsquashfs())) {
            assertThat(fs.walk()).allMatch(e -> e.mtime() == 1700000000L);
            return ImageContents.actual(fs, x);
        }
    }

    @Test
    void aDirectoryAndTarArchivesInEveryCompressionGiveTheSameImage() throws Exception {
        Map<String, ImageContents.Item> expected = ImageContents.expected(tree, false);
        BuildReport fromDir = build("dir.raw", new DirectorySource(tree));
        ImageContents.assertSameTree(readBack(tmp.resolve("dir.raw")), expected);
        assertThat(fromDir.lint()).extracting(Finding::id).contains("etc-content", "setuid", "device-node",
                "world-writable").doesNotContain("non-root-owner");

        Map<String, String> shas = new LinkedHashMap<>();
        shas.put("dir", fromDir.sha256());
        Shell.shOk("cd '" + tree + "' && tar --sort=name --xattrs --xattrs-include='*' --format=pax -cf ../app.tar .");
        for (String[] c : List.of(new String[] {"tar", "cat"}, new String[] {"tar.gz", "gzip -c"},
                new String[] {"tar.xz", "xz -c"}, new String[] {"tar.zst", "zstd -q -c"},
                new String[] {"tar.bz2", "bzip2 -c"})) {
            Path archive = tmp.resolve("app-archive." + c[0]);
            Shell.shOk(c[1] + " < '" + tmp.resolve("app.tar") + "' > '" + archive + "'");
            BuildReport r = build(c[0] + ".raw", TarSource.open(archive));
            ImageContents.assertSameTree(readBack(tmp.resolve(c[0] + ".raw")), expected);
            shas.put(c[0], r.sha256());
        }
        assertThat(shas.values()).as(shas.toString()).containsOnly(fromDir.sha256());
    }

    @Test
    void theSinglePassWritesTheImageOfTheTwoPasses() throws Exception {
        Shell.shOk("cd '" + tree + "' && tar --xattrs --xattrs-include='*' --format=pax -czf ../unsorted.tgz .");
        for (ImageSource source : List.of(new DirectorySource(tree), TarSource.open(tmp.resolve("unsorted.tgz")))) {
            String name = source instanceof TarSource ? "tgz" : "dir";
            BuildReport one = build("one-" + name + ".raw", source);
            BuildReport two = new ImageBuilder(tools).twoPass().build(BuildRequest.builder("app").source(source)
                    .extensionRelease(RELEASE).output(tmp.resolve("two-" + name + ".raw")).sourceDateEpoch(1700000000)
                    .build());
            assertThat(one.sha256()).as(name).isEqualTo(two.sha256());
            assertThat(Files.readAllBytes(tmp.resolve("one-" + name + ".raw"))).as(name)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("two-" + name + ".raw")));
            assertThat(one.lint()).as(name).isEqualTo(two.lint());
            assertThat(one.fileCount()).as(name).isEqualTo(two.fileCount());
        }
    }

    @Test
    void trustedXattrsOfTarArchivesReachTheImage() throws Exception {
        Path tar = Fixtures.write(tmp.resolve("opaque.tar"), Fixtures.tar(List.of(
                Fixtures.Member.dir("opt/app/").pax(Map.of("SCHILY.xattr.trusted.overlay.opaque", "y")),
                Fixtures.Member.file("opt/app/x", "x"))));
        BuildReport r = build("opaque.raw", TarSource.open(tar));
        assertThat(r.lint()).extracting(Finding::id).contains("opaque-directory");
        assertThat(r.hierarchies()).containsExactly("usr", "opt");
        assertThat(Shell.shOk("cd '" + tmp + "' && unsquashfs -no-progress -d opaque opaque.raw >/dev/null && python3 -c "
                + "\"import os; print(os.getxattr('opaque/opt/app', 'trusted.overlay.opaque').decode())\"").stdout())
                .isEqualTo("y\n");
    }

    @Test
    void keepOwnershipKeepsTheTarsOwners() throws Exception {
        Shell.shOk("cd '" + tree + "' && tar --format=pax -czf ../owned.tgz .");
        new ImageBuilder(tools).build(BuildRequest.builder("app").source(TarSource.open(tmp.resolve("owned.tgz")))
                .extensionRelease(RELEASE).output(tmp.resolve("owned.raw")).keepOwnership(true).build());
        try (SquashfsImageFs fs = new SquashfsImageFs(tmp.resolve("owned.raw"), tools.unsquashfs())) {
            assertThat(fs.lstat("usr/lib/app/lib.so.1").orElseThrow()).extracting(e -> e.uid(), e -> e.gid())
                    .containsExactly(1000, 1000);
            assertThat(fs.lstat("").orElseThrow().uid()).isZero();
        }
    }

    @Test
    void laterSourcesWinAndEtcIsLeftOut() throws Exception {
        Path overlay = tmp.resolve("overlay");
        Fixtures.file(overlay, "usr/bin/tool", "replaced\n");
        Fixtures.file(overlay, "usr/share/extra", "extra\n");
        build("layered.raw", new DirectorySource(tree), new DirectorySource(overlay));
        Path x = tmp.resolve("layered");
        Shell.shOk("unsquashfs -no-progress -d '" + x + "' '" + tmp.resolve("layered.raw") + "' >/dev/null");
        assertThat(Files.readString(x.resolve("usr/bin/tool"))).isEqualTo("replaced\n");
        assertThat(Files.readString(x.resolve("usr/bin/tool-hard"))).startsWith("#!/bin/sh");
        assertThat(ImageContents.sameInode(x.resolve("usr/bin/tool"), x.resolve("usr/bin/tool-hard"))).isFalse();
        assertThat(Files.readString(x.resolve("usr/share/extra"))).isEqualTo("extra\n");
        assertThat(x.resolve("etc")).doesNotExist();
    }

    @Test
    void anArchiveWithUnsafePathsIsRefusedAndNothingIsWritten() throws Exception {
        Path evil = tmp.resolve("evil");
        Fixtures.file(evil, "usr/bin/ok", "ok");
        Shell.shOk("cd '" + evil + "' && ln -s ../../../../etc/shadow usr/bin/up && "
                + "tar -P --format=pax -czf ../evil.tgz usr /etc/hostname ../evil/usr/bin/ok");
        assertThatThrownBy(() -> build("evil.raw", TarSource.open(tmp.resolve("evil.tgz"))))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.findings())
                        .filteredOn(f -> f.id().equals("unsafe-path")).extracting(Finding::path)
                        .containsExactlyInAnyOrder("usr/bin/up", "/etc/hostname", "../evil/usr/bin/ok"));
        assertThat(tmp.resolve("evil.raw")).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".#"));
        }
    }
}
