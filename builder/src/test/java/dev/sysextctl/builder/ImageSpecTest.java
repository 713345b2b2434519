package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSpecTest {
    @TempDir
    Path tmp;

    private static ImageSpec spec(String os, String osVersion, String level, Path target, String arch,
            String scope, boolean reload, String version, String... set) {
        return ImageSpec.builder().os(os).osVersion(osVersion).sysextLevel(level).targetOsRelease(target)
                .architecture(arch).scope(scope).reloadManager(reload).version(version).set(List.of(set)).build();
    }

    @Test
    void withoutFlagsTheExtensionIsForAnyOs() throws Exception {
        assertThat(ImageSpec.defaults().toReleaseFile().render()).isEqualTo("ID=_any\n");
    }

    @Test
    void sourceDefaultsFillWhatNoFlagSays() throws Exception {
        java.util.Map<String, String> defaults = new java.util.LinkedHashMap<>();
        defaults.put("ID", "_any");
        defaults.put("ARCHITECTURE", "x86-64");
        defaults.put("SYSEXT_VERSION_ID", "20.10");
        defaults.put("EXTENSION_RELOAD_MANAGER", "1");
        defaults.put("SYSEXT_ID", "docker");
        assertThat(ImageSpec.defaults().withDefaults(defaults).toReleaseFile().render()).isEqualTo(
                "ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=1\nSYSEXT_ID=docker\n");
        assertThat(spec("flatcar", null, null, null, "arm64", null, false, "2", "SYSEXT_ID=mine",
                "EXTENSION_RELOAD_MANAGER=0").withDefaults(defaults).toReleaseFile().render()).isEqualTo(
                "ID=flatcar\nARCHITECTURE=arm64\nSYSEXT_VERSION_ID=2\nEXTENSION_RELOAD_MANAGER=0\nSYSEXT_ID=mine\n");
        Path osr = Files.writeString(tmp.resolve("os-release"), "ID=flatcar\nVERSION_ID=1\n");
        assertThat(spec(null, null, null, osr, null, null, false, null).withDefaults(java.util.Map.of("ID", "debian",
                "VERSION_ID", "12")).toReleaseFile().render()).as("the target os-release wins over source defaults")
                .isEqualTo("ID=flatcar\nVERSION_ID=1\n");
        assertThat(ImageSpec.defaults().withDefaults(java.util.Map.of())).isEqualTo(ImageSpec.defaults());
    }

    @Test
    void everyFlagHasItsField() throws Exception {
        ReleaseFile r = spec("flatcar", "3975.2.0", "1.0", null, "amd64", "system,initrd  portable", true, "24.0.9",
                "SYSEXT_ID=docker", "ID=flatcar").toReleaseFile();
        assertThat(r.render()).isEqualTo("ID=flatcar\nVERSION_ID=3975.2.0\nSYSEXT_LEVEL=1.0\nARCHITECTURE=x86-64\n"
                + "SYSEXT_SCOPE=\"system initrd portable\"\nSYSEXT_VERSION_ID=24.0.9\nEXTENSION_RELOAD_MANAGER=1\n"
                + "SYSEXT_ID=docker\n");
    }

    @Test
    void theTargetOsReleaseGivesIdVersionAndLevelAndExplicitFlagsWin() throws Exception {
        Path osr = Files.writeString(tmp.resolve("os-release"), "NAME=\"Flatcar\"\nID=flatcar\nID_LIKE=coreos\n"
                + "VERSION_ID=3975.2.0\nSYSEXT_LEVEL=1.0\n");
        assertThat(spec(null, null, null, osr, null, null, false, null).toReleaseFile().render())
                .isEqualTo("ID=flatcar\nVERSION_ID=3975.2.0\nSYSEXT_LEVEL=1.0\n");
        assertThat(spec(null, "4000.0.0", null, osr, null, null, false, null).toReleaseFile().get("VERSION_ID"))
                .isEqualTo("4000.0.0");
        Path noId = Files.writeString(tmp.resolve("bad"), "NAME=x\n");
        assertThatThrownBy(() -> spec(null, null, null, noId, null, null, false, null).toReleaseFile())
                .isInstanceOf(UsageException.class).hasMessageContaining("has no ID=");
    }

    @Test
    void architecturesAreNormalisedAndHostIsThisMachine() throws Exception {
        assertThat(spec(null, null, null, null, "x86_64", null, false, null).toReleaseFile().get("ARCHITECTURE"))
                .isEqualTo("x86-64");
        assertThat(spec(null, null, null, null, "aarch64", null, false, null).toReleaseFile().get("ARCHITECTURE"))
                .isEqualTo("arm64");
        assertThat(spec(null, null, null, null, "host", null, false, null).toReleaseFile().get("ARCHITECTURE"))
                .isEqualTo(Architecture.host());
        assertThatThrownBy(() -> spec(null, null, null, null, "pentium", null, false, null).toReleaseFile())
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown architecture 'pentium'");
    }

    @Test
    void scopesAndSetAssignmentsAreChecked() {
        assertThatThrownBy(() -> spec(null, null, null, null, null, "System", false, null).toReleaseFile())
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown scope 'System'");
        assertThatThrownBy(() -> spec(null, null, null, null, null, " , ", false, null).toReleaseFile())
                .isInstanceOf(UsageException.class).hasMessageContaining("--scope is empty");
        assertThatThrownBy(() -> spec(null, null, null, null, null, null, false, null, "NOEQUALS").toReleaseFile())
                .isInstanceOf(UsageException.class).hasMessageContaining("KEY=VALUE");
        assertThatThrownBy(() -> spec(null, null, null, null, null, null, false, null, "BAD KEY=x").toReleaseFile())
                .isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> spec(null, null, null, null, null, null, false, null, "K=a\nb").toReleaseFile())
                .isInstanceOf(UsageException.class).hasMessageContaining("one line");
    }

    @Test
    void setMayWriteRawValuesTheFlagsWouldRefuse() throws Exception {
        ReleaseFile r = spec(null, null, null, null, null, null, false, null, "SYSEXT_SCOPE=", "ARCHITECTURE=x86_64")
                .toReleaseFile();
        assertThat(r.has("SYSEXT_SCOPE")).isTrue();
        assertThat(r.get("SYSEXT_SCOPE")).isEmpty();
        assertThat(r.get("ARCHITECTURE")).isEqualTo("x86_64");
    }

    @Test
    void toBuilderKeepsEveryValueAndBuildersChangeOnlyWhatTheySet() throws Exception {
        ImageSpec full = ImageSpec.builder().os("flatcar").osVersion("1").sysextLevel("2").targetOsRelease(tmp)
                .architecture("arm64").scope("initrd").reloadManager(true).version("3").set(List.of("A=b"))
                .format(BuildFormat.EROFS).compression(Compression.LZ4).sourceDateEpoch(9)
                .keepOwnership(true).strict(true).force(true).build();
        assertThat(full.toBuilder().build()).isEqualTo(full).hasSameHashCodeAs(full);
        ImageSpec other = full.toBuilder().version("4").build();
        assertThat(other).isNotEqualTo(full);
        assertThat(other.version()).isEqualTo("4");
        assertThat(other.toBuilder().version("3").build()).isEqualTo(full);
        assertThat(ImageSpec.builder().format(null).build().format()).isEqualTo(BuildFormat.SQUASHFS);
        assertThat(ImageSpec.defaults().effectiveCompression()).isEqualTo(Compression.ZSTD);
        assertThat(full.effectiveCompression()).isEqualTo(Compression.LZ4);
    }

    @Test
    void aDdisErofsIsUncompressedAsSystemdRepartMakesItUnlessAsked() {
        ImageSpec ddi = ImageSpec.builder().format(BuildFormat.DDI).build();
        assertThat(ddi.effectiveCompression()).isEqualTo(Compression.NONE);
        assertThat(ddi.toBuilder().compression(Compression.LZ4HC).build().effectiveCompression())
                .isEqualTo(Compression.LZ4HC);
        assertThat(ddi.toBuilder().ddi(new DdiSettings(BuildFormat.SQUASHFS, null, null, null)).build()
                .effectiveCompression()).as("squashfs inside keeps squashfs's default").isEqualTo(Compression.ZSTD);
        assertThat(ImageSpec.builder().format(BuildFormat.EROFS).build().effectiveCompression())
                .as("a bare erofs image keeps lz4hc").isEqualTo(Compression.LZ4HC);
    }

    @Test
    void aBuildRequestTakesItsWriteOptionsFromTheSpecification() {
        ImageSpec spec = ImageSpec.builder().format(BuildFormat.DIRECTORY).sourceDateEpoch(5).keepOwnership(true)
                .strict(true).force(true).build();
        BuildRequest r = BuildRequest.builder("x").spec(spec).build();
        assertThat(r.spec()).isEqualTo(spec);
        assertThat(r.format()).isEqualTo(BuildFormat.DIRECTORY);
        assertThat(r.effectiveCompression()).isEqualTo(Compression.NONE);
        assertThat(r.sourceDateEpoch()).isEqualTo(5);
        assertThat(r.keepOwnership() && r.strict() && r.force()).isTrue();
        assertThat(BuildRequest.builder("x").spec(spec).strict(false).build().spec())
                .isEqualTo(spec.toBuilder().strict(false).build());
    }
}
