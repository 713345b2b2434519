package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.elf.ElfInspection;
import dev.sysextctl.converter.elf.RunpathRewriter;
import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gaps convert_torcx_image.sh leaves (docs/torcx.md §3, end), on F1 extended with what triggers them
 * ({@link TorcxFixtures#f1PlusBuilder()}).
 */
class TorcxGapsTest {
    @TempDir
    Path tmp;

    private Scanned convert() throws Exception {
        Path archive = TorcxFixtures.f1PlusBuilder().writeTgz(tmp.resolve("docker:20.10.torcx.tgz"));
        try (TorcxArchiveSource src = TorcxArchiveSource.open(archive,
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), NativeTools.system().unsquashfs())) {
            return Scanned.of(src);
        }
    }

    @Test
    void timersServicesAndDropInsAreRewrittenToo() throws Exception {
        Scanned s = convert();
        assertThat(s.text("usr/lib/systemd/system/docker-prune.timer")).isEqualTo(
                "[Unit]\nDescription=Prune docker images\n\n[Timer]\nOnCalendar=daily\n\n[Install]\n"
                        + "WantedBy=timers.target\n");
        assertThat(s.text("usr/lib/systemd/system/docker-prune.service")).isEqualTo(
                "[Unit]\nDescription=Prune docker images\nAfter=docker.service\n\n[Service]\nType=oneshot\n"
                        + "ExecStart=/usr/bin/docker system prune -f\n");
        assertThat(s.text("usr/lib/systemd/system/docker.service.d/10-opts.conf")).isEqualTo(
                "[Service]\nEnvironment=\"DOCKER_OPTS=--data-root=/var/lib/docker\"\n"
                        + "ExecStartPre=/usr/bin/docker-init --version\n");
        assertThat(s.text("usr/lib/systemd/system/timers.target.d/10-docker-prune-timer.conf"))
                .isEqualTo("[Unit]\nUpholds=docker-prune.timer\n");
    }

    @Test
    void absoluteRunpathsAndRpathsIntoTheUnpackDirAreRewritten() throws Exception {
        Scanned s = convert();
        assertThat(inspect(s, "usr/bin/runc-abs").runpaths()).containsExactly("/usr/lib");
        assertThat(inspect(s, "usr/bin/docker-proxy-rpath").runpaths()).containsExactly("/usr/lib:$ORIGIN/../lib");
        assertThat(inspect(s, "usr/bin/dockerd").runpaths()).containsExactly("$ORIGIN/../lib");
    }

    private ElfInspection inspect(Scanned s, String path) throws Exception {
        Path f = tmp.resolve(path.replace('/', '_'));
        Files.write(f, s.contents().get(path));
        return RunpathRewriter.rewrite(f, UnaryOperator.identity(), false);
    }

    @Test
    void absoluteSymlinksIntoTorcxDirectoriesAreRetargeted() throws Exception {
        Scanned s = convert();
        // Retargeted to /usr/bin/containerd and /usr/bin/ctr, written relative to the link's directory.
        assertThat(s.entry("usr/bin/containerd-abs").linkTarget()).isEqualTo("containerd");
        assertThat(s.entry("usr/bin/ctr-bindir").linkTarget()).isEqualTo("ctr");
    }

    @Test
    void scriptsUsingTorcxVariablesAreRewritten() throws Exception {
        assertThat(convert().text("usr/bin/docker-wrapper")).isEqualTo("#!/bin/sh\nexec /usr/bin/docker \"$@\"\n");
    }

    @Test
    void manifestBinOutsideBinGetsAUsrBinLinkAndTmpfilesArePlaced() throws Exception {
        Scanned s = convert();
        assertThat(s.entry("usr/bin/docker-helper").type()).isEqualTo(EntryType.SYMLINK);
        // Relative: it resolves the same merged, under --root and unpacked.
        assertThat(s.entry("usr/bin/docker-helper").linkTarget()).isEqualTo("../libexec/docker/docker-helper");
        assertThat(s.entry("usr/libexec/docker/docker-helper").type()).isEqualTo(EntryType.FILE);
        assertThat(s.text("usr/lib/tmpfiles.d/docker.conf")).isEqualTo("d /run/docker 0711 root root -\n");
        assertThat(s.text("usr/share/docker/docker.conf")).isEqualTo("d /run/docker 0711 root root -\n");
    }

    @Test
    void noUnitMentionsTorcxAfterConversion() throws Exception {
        Scanned s = convert();
        s.contents().forEach((path, bytes) -> {
            if (path.startsWith("usr/lib/systemd/")) {
                assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).as(path)
                        .doesNotContainIgnoringCase("torcx");
            }
        });
        assertThat(s.findings().asList()).isEmpty();
    }
}
