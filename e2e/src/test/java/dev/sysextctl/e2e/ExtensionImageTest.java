package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionImageTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReleaseFileNamedForTheImageAndEveryFileWithItsMode() throws Exception {
        Path root = ExtensionImage.named("hello").release("ID=debian", "VERSION_ID=12")
                .file("usr/bin/hello", "#!/bin/sh\necho hi\n", 0755)
                .writeTree(tmp);

        assertThat(root).isEqualTo(tmp.resolve("hello"));
        assertThat(root.resolve("usr/lib/extension-release.d/extension-release.hello"))
                .hasContent("ID=debian\nVERSION_ID=12");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/hello"))))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void theDefaultReleaseMatchesAnyOs() {
        Path root = ExtensionImage.named("any").writeTree(tmp);

        assertThat(root.resolve("usr/lib/extension-release.d/extension-release.any")).hasContent("ID=_any");
    }

    @Test
    void aUnitIsUpheldByItsTargetThroughADropInNamedWithoutTheSuffix() {
        Path root = ExtensionImage.named("hello").unit("hello.service", "[Service]\nExecStart=/usr/bin/hello\n")
                .upheldBy("multi-user.target", "hello.service").writeTree(tmp);

        assertThat(root.resolve("usr/lib/systemd/system/hello.service")).hasContent("[Service]\nExecStart=/usr/bin/hello");
        assertThat(root.resolve("usr/lib/systemd/system/multi-user.target.d/10-hello.conf"))
                .hasContent("[Unit]\nUpholds=hello.service");
    }

    @Test
    void theReleaseLinesBecomeTheOptionsOfSysextctlBuild() {
        ExtensionImage image = ExtensionImage.named("docker").release("ID=debian", "VERSION_ID=12",
                "SYSEXT_LEVEL=1.0", "SYSEXT_VERSION_ID=28.0.4", "ARCHITECTURE=x86-64", "SYSEXT_SCOPE=system",
                "EXTENSION_RELOAD_MANAGER=1", "SYSEXT_ID=docker");

        assertThat(image.buildArguments(Path.of("/t/docker"), Path.of("/t/docker.raw"))).containsExactly(
                "build", "/t/docker", "--name", "docker", "-o", "/t/docker.raw", "--quiet",
                "--os", "debian", "--os-version", "12", "--sysext-level", "1.0", "--version", "28.0.4",
                "--arch", "x86-64", "--scope", "system", "--reload-manager", "--set", "SYSEXT_ID=docker");
    }

    @Test
    void quotedValuesOfOsReleaseFilesAreUnquoted() {
        ExtensionImage image = ExtensionImage.named("hello").release("ID=debian", "VERSION_ID=\"12\"",
                "SYSEXT_ID='a b'");

        assertThat(image.buildArguments(Path.of("t"), Path.of("hello.raw"))).containsSubsequence("--os-version", "12")
                .containsSubsequence("--set", "SYSEXT_ID=a b");
    }

    @Test
    void aReloadManagerFieldOtherThanOneAndUnknownFieldsGoThroughSet() {
        ExtensionImage image = ExtensionImage.named("x").release("ID=_any", "EXTENSION_RELOAD_MANAGER=0",
                "CONFEXT_LEVEL=");

        assertThat(image.buildArguments(Path.of("t"), Path.of("x.raw"))).containsSubsequence("--os", "_any")
                .containsSubsequence("--set", "EXTENSION_RELOAD_MANAGER=0")
                .containsSubsequence("--set", "CONFEXT_LEVEL=");
        assertThatThrownBy(() -> ExtensionImage.named("x").release("# a comment").buildArguments(Path.of("t"),
                Path.of("x.raw"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFilesWithoutTheReleaseFileAreWhatTheBuilderGets() {
        Path root = ExtensionImage.named("hello").file("usr/bin/hello", "#!/bin/sh\n", 0755).writeFiles(tmp);

        assertThat(root.resolve("usr/bin/hello")).exists();
        assertThat(root.resolve("usr/lib/extension-release.d")).doesNotExist();
    }

    @Test
    void theContentKeyIsTheSameForTheSameExtensionAndChangesWithReleaseModeContentAndFiles() {
        String key = hello("1").contentKey();

        assertThat(hello("1").contentKey()).isEqualTo(key);
        assertThat(hello("2").contentKey()).as("another release").isNotEqualTo(key);
        assertThat(hello("1").file("usr/bin/hello", "#!/bin/sh\necho hi\n", 0700).contentKey()).as("another mode")
                .isNotEqualTo(key);
        assertThat(hello("1").file("usr/bin/hello", "#!/bin/sh\necho ho\n", 0755).contentKey())
                .as("another content").isNotEqualTo(key);
        assertThat(hello("1").file("usr/bin/other", "", 0644).contentKey()).as("one more file").isNotEqualTo(key);
    }

    private static ExtensionImage hello(String version) {
        return ExtensionImage.named("hello").release("ID=_any", "SYSEXT_VERSION_ID=" + version)
                .file("usr/bin/hello", "#!/bin/sh\necho hi\n", 0755);
    }

    @Test
    void refusesPathsThatLeaveTheImageAndNamesSystemdWouldNotAccept() {
        assertThatThrownBy(() -> ExtensionImage.named("x").file("/usr/bin/x", "", 0644))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionImage.named("x").file("usr/../../etc/passwd", "", 0644))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionImage.named("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
