package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.converter.fixtures.SquashfsArchives;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .torcx.squashfs} archives, read with the real unsquashfs, convert like their tgz twins. */
@Requires(tools = {"mksquashfs", "unsquashfs"})
class SquashfsArchiveIT {
    @TempDir
    Path tmp;

    private Scanned convert(Path archive) throws Exception {
        try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), NativeTools.system().unsquashfs())) {
            assertThat(src.report().format()).isEqualTo(archive.toString().endsWith(".squashfs")
                    ? TorcxArchiveFormat.SQUASHFS : TorcxArchiveFormat.TGZ);
            return Scanned.of(src);
        }
    }

    private static String key(TreeEntry e) {
        return e.path() + " " + e.type() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid()
                + " " + e.linkTarget();
    }

    @Test
    void squashfsArchiveConvertsToTheSameTreeAsTheTgz() throws Exception {
        Scanned tgz = convert(TorcxFixtures.f1Builder(false).writeTgz(tmp.resolve("a/docker:20.10.torcx.tgz")));
        Scanned sq = convert(SquashfsArchives.write(TorcxFixtures.f1Builder(false),
                tmp.resolve("b/docker:20.10.torcx.squashfs")));
        assertThat(sq.order().stream().map(SquashfsArchiveIT::key).toList())
                .isEqualTo(tgz.order().stream().map(SquashfsArchiveIT::key).toList());
        tgz.contents().forEach((p, b) -> assertThat(sq.contents().get(p)).as(p).isEqualTo(b));
    }

    @Test
    void squashfsArchiveWithHostileModesAndLinks() throws Exception {
        Scanned sq = convert(SquashfsArchives.write(TorcxFixtures.f4Builder(true).dir("./", 0755),
                tmp.resolve("evil:1.torcx.squashfs")));
        assertThat(sq.entry("usr/bin/suid").mode()).isEqualTo(04755);
        assertThat(sq.entry("usr/bin/abs").linkTarget()).isEqualTo("real"); // /usr/bin/real, relative
        assertThat(sq.text("usr/lib/existing.txt")).isEqualTo("from usr/lib\n");
        assertThat(sq.has("etc/foo.conf")).isFalse();
        try (var left = Files.list(tmp.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void tgzNamedSquashfsIsRefused() throws Exception {
        Path p = TorcxFixtures.f1Builder(false).writeTgz(tmp.resolve("docker:1.torcx.squashfs"));
        assertThatThrownBy(() -> convert(p)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("not a squashfs image");
    }
}
