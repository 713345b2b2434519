package dev.sysextctl.converter.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.converter.fixtures.TarBuilder;
import dev.sysextctl.converter.fixtures.TestImageWriters;
import dev.sysextctl.converter.migration.WrittenImage;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converted images pass the converter's own lint: usr/sbin/ moves into usr/bin/ (units and links follow, each
 * move reported) unless --keep-sbin, and every absolute link into /usr or /opt becomes relative.
 */
class SbinAndLinksTest {
    private static final String SERVICE = "usr/lib/systemd/system/podmand.service";

    @TempDir
    Path tmp;

    /** A podman-like torcx image with its daemon in usr/sbin, reached by absolute and relative links. */
    private Path archive() throws Exception {
        TarBuilder t = new TarBuilder(1700000000L);
        t.dir("./", 0755);
        t.dir("./usr", 0755);
        t.dir("./usr/sbin", 0755);
        t.file("./usr/sbin/podmand", 0755, "#!/bin/sh\necho podmand\n");
        t.symlink("./usr/sbin/podman-helper", "../libexec/podman/helper");
        t.dir("./usr/bin", 0755);
        t.symlink("./usr/bin/podman", "/usr/sbin/podmand");
        t.symlink("./usr/bin/podman-legacy", "/sbin/podmand");
        t.dir("./usr/libexec", 0755);
        t.dir("./usr/libexec/podman", 0755);
        t.file("./usr/libexec/podman/helper", 0755, "#!/bin/sh\necho helper\n");
        t.dir("./usr/lib", 0755);
        t.dir("./usr/lib/systemd", 0755);
        t.dir("./usr/lib/systemd/system", 0755);
        t.file("./" + SERVICE, 0644, "[Service]\nExecStart=/usr/sbin/podmand --serve\n"
                + "ExecStopPost=/usr/sbin/iptables -F\nExecReload=/opt/usr/sbin/podmand\n");
        return t.writeTgz(tmp.resolve("podman:4.0.torcx.tgz"));
    }

    private TorcxArchiveSource open(boolean keepSbin) throws Exception {
        return TorcxArchiveSource.open(archive(), TorcxConversionOptions.defaults()
                .withWorkDir(tmp.resolve("work")).withKeepSbin(keepSbin), NativeTools.system().unsquashfs());
    }

    private static List<String> lintIds(WrittenImage image) {
        return image.lint().stream().map(Finding::id).toList();
    }

    @Test
    void convertedImagePassesLintWithNoUsrSbinOrAbsoluteSymlinkWarning() throws Exception {
        try (TorcxArchiveSource src = open(false)) {
            WrittenImage image = TestImageWriters.tar().write(src, tmp.resolve("podman.tar"));
            assertThat(lintIds(image)).doesNotContain(LintRule.USR_SBIN_DIRECTORY.id(),
                    LintRule.ABSOLUTE_SYMLINK.id());
            assertThat(src.entries()).extracting(TreeEntry::path).noneMatch(p -> p.startsWith("usr/sbin"));
            assertThat(src.entries()).filteredOn(e -> e.type() == EntryType.SYMLINK)
                    .extracting(TreeEntry::linkTarget).noneMatch(t -> t.startsWith("/"));
        }
    }

    @Test
    void usrSbinContentMovesToUsrBinAndEachMoveIsReported() throws Exception {
        try (TorcxArchiveSource src = open(false)) {
            Scanned s = Scanned.of(src);
            assertThat(s.text("usr/bin/podmand")).isEqualTo("#!/bin/sh\necho podmand\n");
            assertThat(s.has("usr/sbin")).isFalse();
            assertThat(src.report().changes()).filteredOn(c -> c.kind().equals(ConversionChange.Kind.SBIN_MOVED))
                    .extracting(ConversionChange::path)
                    .containsExactlyInAnyOrder("usr/bin/podmand", "usr/bin/podman-helper");
        }
    }

    @Test
    void linksAreRelativeAndFollowTheMove() throws Exception {
        try (TorcxArchiveSource src = open(false)) {
            Scanned s = Scanned.of(src);
            assertThat(s.entry("usr/bin/podman").linkTarget()).isEqualTo("podmand");
            assertThat(s.entry("usr/bin/podman-legacy").linkTarget()).isEqualTo("podmand");
            assertThat(s.entry("usr/bin/podman-helper").linkTarget()).isEqualTo("../libexec/podman/helper");
            assertThat(s.has("usr/libexec/podman/helper")).isTrue();
        }
    }

    @Test
    void unitsPointAtUsrBinForMovedFilesOnly() throws Exception {
        try (TorcxArchiveSource src = open(false)) {
            assertThat(Scanned.of(src).text(SERVICE)).isEqualTo("[Service]\nExecStart=/usr/bin/podmand --serve\n"
                    + "ExecStopPost=/usr/sbin/iptables -F\nExecReload=/opt/usr/sbin/podmand\n");
            assertThat(src.report().changes()).anyMatch(c -> c.kind().equals(ConversionChange.Kind.UNIT_REWRITTEN)
                    && c.path().equals(SERVICE) && c.detail().contains("/usr/sbin/podmand -> /usr/bin/podmand"));
        }
    }

    @Test
    void keepSbinKeepsTheOldLayoutWithRelativeLinks() throws Exception {
        try (TorcxArchiveSource src = open(true)) {
            Scanned s = Scanned.of(src);
            assertThat(s.entry("usr/sbin/podmand").type()).isEqualTo(EntryType.FILE);
            assertThat(s.has("usr/bin/podmand")).isFalse();
            assertThat(s.entry("usr/bin/podman").linkTarget()).isEqualTo("../sbin/podmand");
            assertThat(s.text(SERVICE)).contains("ExecStart=/usr/sbin/podmand --serve\n");
            assertThat(src.report().changes()).noneMatch(c -> c.kind().equals(ConversionChange.Kind.SBIN_MOVED));
            WrittenImage image = TestImageWriters.tar().write(src, tmp.resolve("podman.tar"));
            assertThat(lintIds(image)).contains(LintRule.USR_SBIN_DIRECTORY.id())
                    .doesNotContain(LintRule.ABSOLUTE_SYMLINK.id());
        }
    }
}
