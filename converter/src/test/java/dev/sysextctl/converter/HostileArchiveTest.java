package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F4 {@code evil:1.torcx.tgz} (docs/torcx.md §7): refused where it must be, sanitised otherwise. */
class HostileArchiveTest {
    @TempDir
    Path tmp;

    private TorcxArchiveSource open(Path archive) throws Exception {
        return TorcxArchiveSource.open(archive, TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")),
                NativeTools.system().unsquashfs());
    }

    private Scanned convert(boolean manifest) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("in/deep"));
        Path archive = TorcxFixtures.f4Builder(manifest).writeTgz(dir.resolve("evil:1.torcx.tgz"));
        try (TorcxArchiveSource src = open(archive)) {
            return Scanned.of(src);
        }
    }

    private static List<String> ids(Scanned s) {
        return s.findings().asList().stream().map(Finding::id).toList();
    }

    @Test
    void unsafeEntriesAreReportedNotUsedAndNothingIsWrittenOutsideTheWorkDirectory() throws Exception {
        Scanned s = convert(true);
        assertThat(s.findings().asList()).filteredOn(f -> f.id().equals("unsafe-path"))
                .extracting(Finding::path).containsExactlyInAnyOrder("../escape", "/abs/path", "./bin/climb");
        assertThat(s.findings().hasErrors()).isTrue();
        assertThat(s.entries().keySet()).noneMatch(p -> p.contains("escape") || p.contains("abs/path")
                || p.contains("climb"));
        assertThat(tmp.resolve("in/escape")).doesNotExist();
        assertThat(Path.of("/abs/path")).doesNotExist();
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.map(p -> tmp.relativize(p).toString()))
                    .allMatch(p -> p.isEmpty() || p.startsWith("in") || p.startsWith("work") || p.contains("_"));
        }
        try (Stream<Path> left = Files.list(tmp.resolve("work"))) {
            assertThat(left).as("staging removed on close").isEmpty();
        }
    }

    @Test
    void linksModesAndCollisionsAreSanitised() throws Exception {
        Scanned s = convert(true);
        assertThat(s.entry("usr/bin/abs").linkTarget()).isEqualTo("real"); // /usr/bin/real, relative
        TreeEntry hard = s.entry("usr/bin/hard");
        assertThat(hard.type()).isEqualTo(EntryType.HARDLINK);
        assertThat(hard.linkTarget()).isEqualTo("usr/bin/real");
        assertThat(s.order().indexOf(hard)).isGreaterThan(s.order().indexOf(s.entry("usr/bin/real")));
        assertThat(s.entry("usr/bin/suid").mode()).isEqualTo(04755);
        assertThat(s.text("usr/lib/existing.txt")).isEqualTo("from usr/lib\n");
        assertThat(s.findings().asList()).anyMatch(f -> f.id().equals("torcx-collision")
                && f.path().equals("usr/lib/existing.txt"));
        assertThat(s.text("usr/lib/libevil.so.1")).isEqualTo("lib\n");
        assertThat(s.text("usr/bin/tool")).isEqualTo(TorcxFixtures.script("tool"));
        assertThat(s.has("usr/lib64")).isFalse();
        assertThat(s.has("lib64")).isFalse();
    }

    @Test
    void contentASysextCannotCarryIsDroppedAndReported() throws Exception {
        Scanned s = convert(true);
        assertThat(s.entries().keySet()).allMatch(p -> p.startsWith("usr") || p.startsWith("opt"));
        assertThat(ids(s)).contains("etc-content", "torcx-dropped", "torcx-opt-content", "torcx-sysusers");
        assertThat(s.findings().asList()).anyMatch(f -> f.id().equals("torcx-dropped") && f.path().equals("var"));
    }

    @Test
    void manifestPlacesBinariesUnitsSysusersAndUdevRules() throws Exception {
        Scanned s = convert(true);
        assertThat(s.entry("usr/bin/y").linkTarget()).isEqualTo("../../opt/x/bin/y");
        assertThat(s.entry("opt/x/bin/y").type()).isEqualTo(EntryType.FILE);
        assertThat(s.text("usr/lib/sysusers.d/evil.conf")).startsWith("u evil");
        assertThat(s.text("usr/lib/udev/rules.d/90-evil.rules")).contains("SUBSYSTEM");
        assertThat(s.text("usr/lib/systemd/system/x.timer")).doesNotContain("torcx");
        assertThat(s.text("usr/lib/systemd/system/x.service")).contains("ExecStart=/usr/bin/y\n")
                .doesNotContain("torcx");
    }

    @Test
    void withoutManifestTheConventionAppliesAndIsReported() throws Exception {
        Scanned s = convert(false);
        assertThat(ids(s)).contains("torcx-no-manifest");
        assertThat(s.has("usr/bin/y")).isFalse();
        assertThat(s.text("usr/lib/systemd/system/x.service")).doesNotContain("torcx");
    }

    @Test
    void plainTarNamedTgzIsRefused() throws Exception {
        Path archive = TorcxFixtures.f4Builder(true).writeTar(tmp.resolve("evil:1.torcx.tgz"));
        assertThatThrownBy(() -> open(archive)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("not gzip-compressed");
        try (Stream<Path> left = Files.list(tmp.resolve("work"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void truncatedArchiveIsRefusedInOneLine() throws Exception {
        byte[] tgz = TorcxFixtures.f4Builder(true).tgz();
        Path archive = tmp.resolve("evil:1.torcx.tgz");
        Files.write(archive, java.util.Arrays.copyOf(tgz, tgz.length / 2));
        assertThatThrownBy(() -> open(archive)).isInstanceOf(RefusedException.class)
                .hasMessageNotContaining("\n").hasMessageContaining("gzip");
    }
}
