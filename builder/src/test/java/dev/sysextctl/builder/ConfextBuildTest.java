package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.builder.write.ProcessIdentity;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build --class confext} (docs/cli.md §2.5): the same options make a confext's extension-release
 * (CONFEXT_LEVEL, CONFEXT_SCOPE, CONFEXT_VERSION_ID), the image is etc/ with
 * etc/extension-release.d/extension-release.NAME, usr/ is left out, content elsewhere refuses the build. Directory
 * images here (no native tool); the file systems are built for real in ConfextBuildIT.
 */
class ConfextBuildTest {
    @TempDir
    Path tmp;
    Path tree;
    final ImageBuilder builder = new ImageBuilder(new NativeTools(new ImageBuilderTest.FakeMksquashfs()),
            new ProcessIdentity(0, 0));

    @BeforeEach
    void tree() throws Exception {
        Fixtures.init();
        tree = tmp.resolve("tree");
        Fixtures.file(tree, "etc/motd.d/50-hello", "hello\n");
        Fixtures.file(tree, "usr/share/doc/hello/README", "x");
    }

    private static ImageSpec.Builder confext() {
        return ImageSpec.builder().extensionClass(ExtensionClass.CONFEXT);
    }

    @Test
    void theSameOptionsGiveTheConfextsFields() throws Exception {
        Path osRelease = Fixtures.file(tmp, "os-release", "ID=debian\nVERSION_ID=13\nSYSEXT_LEVEL=1\nCONFEXT_LEVEL=4\n");
        ReleaseFile r = confext().targetOsRelease(osRelease).architecture("amd64").scope("system,initrd")
                .version("1.2").reloadManager(true).build().toReleaseFile();
        assertThat(r.fields()).containsExactly(Map.entry("ID", "debian"), Map.entry("VERSION_ID", "13"),
                Map.entry("CONFEXT_LEVEL", "4"), Map.entry("ARCHITECTURE", "x86-64"),
                Map.entry("CONFEXT_SCOPE", "system initrd"), Map.entry("CONFEXT_VERSION_ID", "1.2"),
                Map.entry("EXTENSION_RELOAD_MANAGER", "1"));
        assertThat(confext().os("debian").sysextLevel("7").build().toReleaseFile().fields())
                .containsExactly(Map.entry("ID", "debian"), Map.entry("CONFEXT_LEVEL", "7"));
        assertThat(ImageSpec.builder().os("debian").sysextLevel("7").build().toReleaseFile().fields())
                .containsExactly(Map.entry("ID", "debian"), Map.entry("SYSEXT_LEVEL", "7"));
    }

    @Test
    void defaultsFromTheSourcesUseTheConfextsKeys() throws Exception {
        ImageSpec s = confext().build().withDefaults(Map.of("CONFEXT_LEVEL", "3", "CONFEXT_SCOPE", "initrd",
                "CONFEXT_VERSION_ID", "9", "SYSEXT_LEVEL", "1"));
        assertThat(s.sysextLevel()).isEqualTo("3");
        assertThat(s.scope()).isEqualTo("initrd");
        assertThat(s.version()).isEqualTo("9");
        assertThat(s.set()).containsExactly("SYSEXT_LEVEL=1");
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s).isNotEqualTo(s.toBuilder().extensionClass(ExtensionClass.SYSEXT).build());
    }

    @Test
    void aDirectoryConfextHoldsEtcAndItsReleaseAndIsReproducible() throws Exception {
        ImageSpec spec = confext().os("debian").osVersion("13").format(BuildFormat.DIRECTORY).sourceDateEpoch(5)
                .build();
        BuildRequest.Builder req = BuildRequest.builder("motd").source(new DirectorySource(tree)).spec(spec)
                .extensionRelease(spec.toReleaseFile());
        BuildReport one = builder.build(req.output(tmp.resolve("one")).build());
        BuildReport two = builder.build(req.output(tmp.resolve("two")).build());
        Path out = tmp.resolve("one");
        assertThat(Files.readString(out.resolve("etc/extension-release.d/extension-release.motd")))
                .isEqualTo("ID=debian\nVERSION_ID=13\n");
        assertThat(Files.readString(out.resolve("etc/motd.d/50-hello"))).isEqualTo("hello\n");
        assertThat(out.resolve("usr")).doesNotExist();
        assertThat(one.extensionClass()).isEqualTo(ExtensionClass.CONFEXT);
        assertThat(one.hierarchies()).containsExactly("etc");
        assertThat(one.fileCount()).isEqualTo(5);
        assertThat(one.lint()).extracting(f -> f.id() + " " + f.path())
                .containsExactly("usr-content usr/share/doc/hello/README");
        assertThat(one.sha256()).isEqualTo(two.sha256());
    }

    @Test
    void contentOutsideEtcRefusesTheBuildAndNothingIsWritten() throws Exception {
        Fixtures.file(tree, "var/lib/hello/state", "x");
        BuildRequest req = BuildRequest.builder("motd").source(new DirectorySource(tree))
                .spec(confext().format(BuildFormat.DIRECTORY).build())
                .extensionRelease(new ReleaseFile(Map.of("ID", "_any"))).output(tmp.resolve("out")).build();
        assertThatThrownBy(() -> builder.build(req)).isInstanceOf(RefusedException.class)
                .satisfies(e -> assertThat(((RefusedException) e).findings()).extracting(f -> f.id())
                        .contains("outside-etc"));
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void theDefaultOutputNameTakesTheConfextsVersion() {
        ReleaseFile r = new ReleaseFile(Map.of("CONFEXT_VERSION_ID", "2", "ARCHITECTURE", "x86-64"));
        assertThat(OutputNames.defaultName("motd", r, BuildFormat.EROFS, ExtensionClass.CONFEXT))
                .isEqualTo("motd-2-x86-64.raw");
        assertThat(OutputNames.defaultName("motd", r, BuildFormat.EROFS)).isEqualTo("motd.raw");
    }
}
