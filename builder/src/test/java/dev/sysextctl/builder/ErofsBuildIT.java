package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.source.TarSource;
import dev.sysextctl.core.image.ErofsImageFs;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** erofs images made through a staged tree, read back with fsck.erofs and sysextctl's own erofs reader. */
@Requires(root = true, tools = {"mkfs.erofs", "fsck.erofs", "dump.erofs", "tar", "mknod"})
class ErofsBuildIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64"));

    @TempDir
    Path tmp;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    @Test
    void aTarBuildReadsBackEntryByEntryAndTheStagingIsGone() throws Exception {
        Path tree = SquashfsBuildIT.makeTree(tmp.resolve("tree"));
        Shell.shOk("cd '" + tree + "' && tar --xattrs --format=pax -cJf ../app.tar.xz .");
        BuildReport r = new ImageBuilder(tools).build(BuildRequest.builder("app")
                .source(TarSource.open(tmp.resolve("app.tar.xz"))).extensionRelease(RELEASE)
                .format(BuildFormat.EROFS).output(tmp.resolve("app.raw")).sourceDateEpoch(1234).build());
        Path image = tmp.resolve("app.raw");
        assertThat(ImageFormat.detect(image)).isEqualTo(ImageFormat.EROFS);
        assertThat(r.compression()).isEqualTo("lz4hc");
        assertThat(r.tools()).containsEntry("mkfs.erofs", "1.5");
        assertThat(Shell.shOk("dump.erofs -s '" + image + "'").stdout())
                .contains("00000000-0000-0000-0000-000000000000");
        Path x = tmp.resolve("x");
        Shell.shOk("fsck.erofs --extract='" + x + "' '" + image + "'");
        try (ErofsImageFs fs = new ErofsImageFs(image)) {
            ImageContents.assertSameTree(ImageContents.actual(fs, x), ImageContents.expected(tree, false));
            assertThat(fs.walk()).allMatch(e -> e.mtime() == 1234 && e.uid() == 0 && e.gid() == 0);
            assertThat(fs.xattrs("usr/bin/tool")).containsEntry("user.note", "a text attribute");
            assertThat(new String(fs.read("usr/lib/extension-release.d/extension-release.app")))
                    .isEqualTo(RELEASE.render());
        }
        // fsck.erofs 1.5 extracts hard links as copies; the image itself has one inode for both names
        String nid = Shell.shOk("dump.erofs --path=/usr/bin/tool '" + image + "' | grep NID").stdout();
        assertThat(nid).contains("Links: 2");
        assertThat(Shell.shOk("dump.erofs --path=/usr/bin/tool-hard '" + image + "' | grep NID").stdout())
                .isEqualTo(nid);
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".#"));
        }
    }

    @Test
    void uncompressedAndLz4() throws Exception {
        Path tree = tmp.resolve("t");
        Fixtures.file(tree, "usr/share/a.txt", "aaaa".repeat(5000));
        for (Compression c : new Compression[] {Compression.NONE, Compression.LZ4}) {
            Path out = tmp.resolve(c.cliName() + ".raw");
            new ImageBuilder(tools).build(BuildRequest.builder("t").source(new DirectorySource(tree))
                    .extensionRelease(RELEASE).format(BuildFormat.EROFS).compression(c).output(out).build());
            try (ErofsImageFs fs = new ErofsImageFs(out)) {
                assertThat(new String(fs.read("usr/share/a.txt"))).isEqualTo("aaaa".repeat(5000));
            }
        }
        assertThat(Files.size(tmp.resolve("lz4.raw"))).isLessThan(Files.size(tmp.resolve("none.raw")));
    }
}
