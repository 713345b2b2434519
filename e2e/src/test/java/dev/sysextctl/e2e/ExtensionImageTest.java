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
    void refusesPathsThatLeaveTheImageAndNamesSystemdWouldNotAccept() {
        assertThatThrownBy(() -> ExtensionImage.named("x").file("/usr/bin/x", "", 0644))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionImage.named("x").file("usr/../../etc/passwd", "", 0644))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExtensionImage.named("a/b")).isInstanceOf(IllegalArgumentException.class);
    }
}
