package dev.sysextctl.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.converter.fixtures.ElfStub;
import dev.sysextctl.converter.fixtures.Scanned;
import dev.sysextctl.converter.fixtures.TarBuilder;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.tools.NativeTools;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code build} takes from a converted torcx archive ({@link ImageSource#releaseDefaults()}) and the life of
 * its staging directory ({@link TorcxArchiveSource#close()}).
 */
class TorcxSourceDefaultsAndStagingTest {
    @TempDir
    Path tmp;

    private Path work() {
        return tmp.resolve("work");
    }

    private TorcxArchiveSource open(Path archive) throws Exception {
        return TorcxArchiveSource.open(archive, TorcxConversionOptions.defaults().withWorkDir(work()),
                NativeTools.system().unsquashfs());
    }

    /** The staging directories under the work directory (none when it does not exist). */
    private List<Path> staging() throws Exception {
        if (!Files.isDirectory(work())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work())) {
            return s.toList();
        }
    }

    /** An architecture that is not this machine's: arm64, or x86-64 on an arm64 host. */
    private static String foreignArchitecture() {
        return Architecture.host().equals("arm64") ? "x86-64" : "arm64";
    }

    /** A torcx archive whose one binary is an ELF for {@link #foreignArchitecture()}. */
    private Path foreignArchive() throws Exception {
        int machine = foreignArchitecture().equals("arm64") ? ElfStub.EM_AARCH64 : ElfStub.EM_X86_64;
        return new TarBuilder(TorcxFixtures.MTIME).dir("./", 0755).dir("./.torcx", 0755)
                .file("./.torcx/manifest.json", 0644, "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":"
                        + "[\"/bin/tool\"]}}")
                .dir("./bin", 0755)
                .file("./bin/tool", 0755, ElfStub.build(true, false, machine, ElfStub.DT_RUNPATH,
                        "$ORIGIN/../lib"))
                .writeTgz(tmp.resolve("tool:1.torcx.tgz"));
    }

    @Test
    void releaseDefaultsOfF1NameTheBinariesArchitectureAndTheReloadManager() throws Exception {
        try (TorcxArchiveSource src = open(TorcxFixtures.f1(tmp))) {
            assertThat(src.report().architectureSource()).isEqualTo("elf");
            assertThat(src.releaseDefaults()).containsEntry("ARCHITECTURE", "x86-64")
                    .containsEntry("EXTENSION_RELOAD_MANAGER", "1");
        }
    }

    @Test
    void releaseDefaultsTakeTheArchitectureFromTheElfNotFromThisMachine() throws Exception {
        try (TorcxArchiveSource src = open(foreignArchive())) {
            assertThat(src.report().architectureSource()).isEqualTo("elf");
            assertThat(src.releaseDefaults()).containsEntry("ARCHITECTURE", foreignArchitecture())
                    .containsEntry("EXTENSION_RELOAD_MANAGER", "1");
        }
    }

    @Test
    void theProviderBuildUsesGivesTheSameDefaults() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        TorcxImageSourceProvider provider = new TorcxImageSourceProvider();
        assertThat(provider.handles(archive)).isTrue();
        try (ImageSource src = provider.open(archive)) {
            assertThat(src.releaseDefaults()).containsEntry("ARCHITECTURE", "x86-64")
                    .containsEntry("EXTENSION_RELOAD_MANAGER", "1");
        }
    }

    @Test
    void anArchiveWithoutElfBinariesGivesNoArchitecture() throws Exception {
        Path addon = TorcxFixtures.addon(tmp.resolve("addon_01:1.torcx.tgz"));
        try (TorcxArchiveSource src = open(addon)) {
            assertThat(src.report().architectureSource()).isEqualTo("host");
            assertThat(src.releaseDefaults()).doesNotContainKey("ARCHITECTURE")
                    .containsEntry("EXTENSION_RELOAD_MANAGER", "1");
        }
    }

    @Test
    void closeRemovesTheStagingDirectoryAndIsIdempotent() throws Exception {
        TorcxArchiveSource src = open(TorcxFixtures.f1(tmp));
        List<Path> before = staging();
        assertThat(before).as("one staging directory while the source is open").singleElement()
                .satisfies(d -> {
                    assertThat(d).isDirectory();
                    assertThat(d.getFileName().toString()).startsWith("sysextctl-torcx-");
                    try (Stream<Path> s = Files.list(d)) {
                        assertThat(s).as("the staged blobs").isNotEmpty();
                    }
                });
        src.close();
        assertThat(before.get(0)).doesNotExist();
        assertThat(staging()).isEmpty();
        src.close();
        assertThat(staging()).isEmpty();
    }

    @Test
    void twoSourcesStageApartAndClosingOneKeepsTheOther() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        try (TorcxArchiveSource a = open(archive); TorcxArchiveSource b = open(archive)) {
            assertThat(staging()).hasSize(2);
            a.close();
            assertThat(staging()).hasSize(1);
            assertThat(Scanned.of(b).text("usr/lib/systemd/system/docker.socket"))
                    .as("the other source still reads its staged blobs").contains("ListenStream=");
        }
        assertThat(staging()).isEmpty();
    }

    @Test
    void anArchiveRefusedWhileStagingLeavesNoStagingDirectory() throws Exception {
        Path notGzip = TorcxFixtures.f1Builder(false).writeTar(tmp.resolve("docker:1.torcx.tgz"));
        assertThatThrownBy(() -> open(notGzip)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("not gzip-compressed");
        assertThat(work()).as("the staging directory was made before the refusal").isDirectory();
        assertThat(staging()).isEmpty();

        Path noEntries = tmp.resolve("empty:1.torcx.tgz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(noEntries))) {
            gz.write(new byte[1024]);
        }
        assertThatThrownBy(() -> open(noEntries)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("holds no tar entries");
        assertThat(staging()).isEmpty();
    }

    @Test
    void extensionReleaseOfAnArchiveWithoutElfStillNamesThisMachineForConvert() throws Exception {
        Path addon = TorcxFixtures.addon(tmp.resolve("addon_01:1.torcx.tgz"));
        try (TorcxArchiveSource src = open(addon)) {
            assertThat(src.extensionRelease()).containsEntry("ARCHITECTURE", Architecture.host());
            assertThat(src.releaseDefaults()).isEqualTo(withoutArchitecture(src.extensionRelease()));
        }
    }

    private static Map<String, String> withoutArchitecture(Map<String, String> release) {
        Map<String, String> m = new java.util.LinkedHashMap<>(release);
        m.remove("ARCHITECTURE");
        return m;
    }
}
