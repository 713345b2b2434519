package dev.sysextctl.provision.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.provision.TestImages;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Requires(tools = {"mksquashfs", "unsquashfs"})
class ExtensionImageReaderIT {
    @TempDir
    Path dir;

    private final ExtensionImageReader reader = new ExtensionImageReader(NativeTools.system());

    @Test
    void readsNameVersionArchitectureAndHashesFromThePlainName() throws Exception {
        Path p = TestImages.hello(dir, "docker.raw", "docker", "28.0.4");
        ExtensionImage image = reader.read(p);
        assertThat(image.name()).isEqualTo("docker");
        assertThat(image.version()).isEqualTo("28.0.4");
        assertThat(image.architecture()).isEqualTo("x86-64");
        assertThat(image.releasePath()).isEqualTo("usr/lib/extension-release.d/extension-release.docker");
        assertThat(image.sha512()).hasSize(128).isEqualTo(ExtensionImageReader.digest(p).sha512());
        assertThat(image.sizeBytes()).isEqualTo(Files.size(p));
        assertThat(image.releaseFileName()).contains("docker-28.0.4-x86-64.raw");
    }

    @Test
    void aConfextIsToldByItsEtcReleaseFileAndVersionedByConfextVersionId() throws Exception {
        ExtensionImage image = reader.read(TestImages.confext(dir, "motd-2-x86-64.raw", "motd", "2"));
        assertThat(image.extensionClass()).isEqualTo(ExtensionClass.CONFEXT);
        assertThat(image.name()).isEqualTo("motd");
        assertThat(image.version()).isEqualTo("2");
        assertThat(image.releasePath()).isEqualTo("etc/extension-release.d/extension-release.motd");
        assertThat(reader.read(TestImages.hello(dir, "hello.raw", "hello", "1")).extensionClass())
                .isEqualTo(ExtensionClass.SYSEXT);
    }

    @Test
    void anImageWithBothReleaseFilesNeedsClassAndAWrongClassIsRefused() throws Exception {
        Path both = TestImages.pack(dir, "both.raw", Map.of(
                "usr/lib/extension-release.d/extension-release.both", "ID=_any\nSYSEXT_VERSION_ID=1\n",
                "etc/extension-release.d/extension-release.both", "ID=_any\nCONFEXT_VERSION_ID=2\n"));
        assertThatThrownBy(() -> reader.read(both)).isInstanceOf(UsageException.class)
                .hasMessageContaining("carries both usr/lib/extension-release.d and etc/extension-release.d; "
                        + "give --class sysext or --class confext");
        assertThat(reader.read(both, ExtensionClass.CONFEXT).version()).isEqualTo("2");
        assertThat(reader.read(both, ExtensionClass.SYSEXT).version()).isEqualTo("1");
        Path motd = TestImages.confext(dir, "motd.raw", "motd", "1");
        assertThatThrownBy(() -> reader.read(motd, ExtensionClass.SYSEXT)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("carries no usr/lib/extension-release.d/extension-release.* file: linked as "
                        + "/etc/extensions/motd.raw on a node, systemd-sysext would refuse it");
        Path hello = TestImages.hello(dir, "hello.raw", "hello", "1");
        assertThatThrownBy(() -> reader.read(hello, ExtensionClass.CONFEXT)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("linked as /var/lib/confexts/hello.raw on a node, systemd-confext would refuse");
    }

    @Test
    void aConfextWithoutConfextVersionIdCannotBeReleased() throws Exception {
        ExtensionImage image = reader.read(TestImages.pack(dir, "c.raw", Map.of(
                "etc/extension-release.d/extension-release.c", "ID=_any\nSYSEXT_VERSION_ID=1\nARCHITECTURE=x86-64\n")));
        assertThat(image.version()).isNull();
        assertThatThrownBy(() -> NameRules.requireReleasable(image)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("the image has no CONFEXT_VERSION_ID");
    }

    @Test
    void recognisesTheBakeryNameWhenVersionAndArchAreTheImagesOwn() throws Exception {
        ExtensionImage image = reader.read(TestImages.hello(dir, "docker-28.0.4-x86-64.raw", "docker", "28.0.4"));
        assertThat(image.name()).isEqualTo("docker");
        assertThat(image.fileName()).isEqualTo("docker-28.0.4-x86-64.raw");
    }

    @Test
    void refusesAFileWhoseNodeNameDisagreesWithItsExtensionRelease() {
        Path wrongVersion = TestImages.hello(dir, "docker-29.0-x86-64.raw", "docker", "28.0.4");
        assertThatThrownBy(() -> reader.read(wrongVersion)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("carries extension-release.docker but no extension-release.docker-29.0-x86-64")
                .hasMessageContaining("/etc/extensions/docker-29.0-x86-64.raw")
                .hasMessageContaining("rename the file to docker.raw");
        Path renamed = TestImages.hello(dir, "k3s.raw", "k3s-1.32-x86-64", "1");
        assertThatThrownBy(() -> reader.read(renamed)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("No medium found");
    }

    @Test
    void refusesImagesWithoutExtensionReleaseOrOutsideTheRules() throws Exception {
        Path none = TestImages.image(dir, "bare.raw", "x", Map.of("ID", "_any"), "x");
        Files.move(none, dir.resolve("x.raw"));
        Path empty = TestImages.image(dir, "bare.raw", "other", Map.of("ID", "_any"), "x");
        assertThatThrownBy(() -> reader.read(empty)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("no extension-release.bare");
        Path notRaw = dir.resolve("x.img");
        Files.copy(dir.resolve("x.raw"), notRaw);
        assertThatThrownBy(() -> reader.read(notRaw)).isInstanceOf(RefusedException.class)
                .hasMessageContaining(".raw");
        assertThatThrownBy(() -> reader.read(dir.resolve("missing.raw"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> reader.read(dir)).isInstanceOf(UsageException.class);
        assertThat(reader.read(dir.resolve("x.raw")).version()).isNull();
    }
}
