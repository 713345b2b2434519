package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** open_extension_release() on directory images: docs/compatibility.md §2.1, scenarios K16, K17, K40. */
class ExtensionReleaseLocatorTest {
    @TempDir
    Path dir;

    private Path release(String name, String content) throws IOException {
        Path d = dir.resolve("usr/lib/extension-release.d");
        Files.createDirectories(d);
        return Files.writeString(d.resolve("extension-release." + name), content);
    }

    private static void strict(Path file, String value) throws IOException {
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class)
                .write("extension-release.strict", ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    private ReleaseLookup locate(String name) throws Exception {
        return ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), name, SystemdVersion.V252);
    }

    @Test
    void exactNameIsFound() throws Exception {
        release("x0", "ID=debian\n");
        ReleaseLookup r = locate("x0");
        assertThat(r.status()).isEqualTo(ReleaseLookup.Status.FOUND);
        assertThat(r.release().get("ID")).isEqualTo("debian");
        assertThat(r.path()).isEqualTo("usr/lib/extension-release.d/extension-release.x0");
    }

    @Test
    void exactNameWinsOverOtherFiles() throws Exception {
        release("x0", "ID=a\n");
        strict(release("other", "ID=b\n"), "0");
        assertThat(locate("x0").release().get("ID")).isEqualTo("a");
    }

    @Test
    void otherFileWithoutXattrIsNotUsed() throws Exception {
        release("other", "ID=debian\n");
        ReleaseLookup r = locate("x0");
        assertThat(r.status()).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
        assertThat(r.detail()).contains("extension-release.other").contains("user.extension-release.strict=0");
    }

    @Test
    void strictFalseValuesQualify() throws Exception {
        for (String v : new String[] {"0", "false", "no", "off", "FALSE"}) {
            Path f = release("other", "ID=debian\n");
            strict(f, v);
            assertThat(locate("x0").status()).as(v).isEqualTo(ReleaseLookup.Status.FOUND_BY_XATTR);
            Files.delete(f);
        }
    }

    @Test
    void strictTrueOrGarbageDoesNotQualify() throws Exception {
        for (String v : new String[] {"1", "true", "maybe"}) {
            Path f = release("other", "ID=debian\n");
            strict(f, v);
            assertThat(locate("x0").status()).as(v).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
            Files.delete(f);
        }
    }

    @Test
    void twoCandidatesAreNotUnique() throws Exception {
        strict(release("a", "ID=debian\n"), "0");
        strict(release("b", "ID=debian\n"), "0");
        assertThat(locate("x0").status()).isEqualTo(ReleaseLookup.Status.NOT_UNIQUE);
    }

    @Test
    void exactNameSymlinkIsChasedInsideTheImage() throws Exception {
        release("real", "ID=debian\n");
        Files.createSymbolicLink(dir.resolve("usr/lib/extension-release.d/extension-release.ls"),
                Path.of("extension-release.real"));
        assertThat(locate("ls").status()).isEqualTo(ReleaseLookup.Status.FOUND);
        Files.delete(dir.resolve("usr/lib/extension-release.d/extension-release.ls"));
        Files.createSymbolicLink(dir.resolve("usr/lib/extension-release.d/extension-release.ls"),
                Path.of("/usr/lib/extension-release.d/extension-release.real"));
        assertThat(locate("ls").release().get("ID")).isEqualTo("debian");
    }

    @Test
    void fallbackSkipsSymlinks() throws Exception {
        Path target = release("target", "ID=debian\n");
        strict(target, "1");
        Files.createSymbolicLink(dir.resolve("usr/lib/extension-release.d/extension-release.alias"),
                Path.of("extension-release.target"));
        assertThat(locate("x0").status()).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
    }

    @Test
    void truncatedNameRuleOnlyFrom257() throws Exception {
        release("tr", "ID=debian\n");
        assertThat(locate("tr_7").status()).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
        ReleaseLookup r = ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), "tr_7", new SystemdVersion(257));
        assertThat(r.status()).isEqualTo(ReleaseLookup.Status.FOUND_BY_TRUNCATED_NAME);
    }

    @Test
    void missingDirectoryIsNotFound() throws Exception {
        Files.createDirectories(dir.resolve("usr/bin"));
        assertThat(locate("x").status()).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
    }

    @Test
    void forbiddenOsReleaseIsDetectedThroughLinks() throws Exception {
        Files.createDirectories(dir.resolve("usr/lib"));
        assertThat(ExtensionReleaseLocator.hasForbiddenOsRelease(new DirectoryImageFs(dir))).isFalse();
        Files.writeString(dir.resolve("usr/lib/os-release.real"), "ID=x\n");
        Files.createSymbolicLink(dir.resolve("usr/lib/os-release"), Path.of("/usr/lib/os-release.real"));
        assertThat(ExtensionReleaseLocator.hasForbiddenOsRelease(new DirectoryImageFs(dir))).isTrue();
    }

    @Test
    void parseBooleanLikeSystemd() {
        assertThat(ExtensionReleaseLocator.parseBoolean("Yes")).isTrue();
        assertThat(ExtensionReleaseLocator.parseBoolean("off")).isFalse();
        assertThat(ExtensionReleaseLocator.parseBoolean("maybe")).isNull();
    }

    private Path confextRelease(String name, String content) throws IOException {
        Path d = dir.resolve("etc/extension-release.d");
        Files.createDirectories(d);
        return Files.writeString(d.resolve("extension-release." + name), content);
    }

    @Test
    void confextReleaseIsFoundInEtc() throws Exception {
        confextRelease("c0", "ID=debian\nCONFEXT_LEVEL=1\n");
        ReleaseLookup r = ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), "c0", SystemdVersion.V252,
                ExtensionClass.CONFEXT);
        assertThat(r.status()).isEqualTo(ReleaseLookup.Status.FOUND);
        assertThat(r.path()).isEqualTo("etc/extension-release.d/extension-release.c0");
        assertThat(r.release().get("CONFEXT_LEVEL")).isEqualTo("1");
        assertThat(locate("c0").status()).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
        assertThat(locate("c0").detail()).isEqualTo("the image has no usr/lib/extension-release.d/");
    }

    @Test
    void confextFallbackFollowsTheSysextRules() throws Exception {
        strict(confextRelease("other", "ID=a\n"), "0");
        ReleaseLookup byXattr = ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), "c0", SystemdVersion.V252,
                ExtensionClass.CONFEXT);
        assertThat(byXattr.status()).isEqualTo(ReleaseLookup.Status.FOUND_BY_XATTR);
        assertThat(byXattr.path()).isEqualTo("etc/extension-release.d/extension-release.other");
        confextRelease("tr", "ID=b\n");
        ReleaseLookup truncated = ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), "tr_7", new SystemdVersion(257),
                ExtensionClass.CONFEXT);
        assertThat(truncated.status()).isEqualTo(ReleaseLookup.Status.NOT_UNIQUE);
        Files.delete(dir.resolve("etc/extension-release.d/extension-release.other"));
        assertThat(ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), "tr_7", new SystemdVersion(257),
                ExtensionClass.CONFEXT).status()).isEqualTo(ReleaseLookup.Status.FOUND_BY_TRUNCATED_NAME);
        assertThat(ExtensionReleaseLocator.locate(new DirectoryImageFs(dir), "tr_7", SystemdVersion.V252,
                ExtensionClass.CONFEXT).status()).isEqualTo(ReleaseLookup.Status.NOT_FOUND);
    }

    @Test
    void classifyTellsSysextConfextBothAndNone() throws Exception {
        DirectoryImageFs fs = new DirectoryImageFs(dir);
        Files.createDirectories(dir.resolve("usr/bin"));
        assertThat(ExtensionReleaseLocator.classify(fs, "x", SystemdVersion.V252).kind())
                .isEqualTo(ClassLookup.Kind.NONE);
        confextRelease("x", "ID=debian\n");
        ClassLookup confext = ExtensionReleaseLocator.classify(fs, "x", SystemdVersion.V252);
        assertThat(confext.kind()).isEqualTo(ClassLookup.Kind.CONFEXT);
        assertThat(confext.classes()).containsExactly(ExtensionClass.CONFEXT);
        assertThat(confext.of(ExtensionClass.CONFEXT).found()).isTrue();
        release("x", "ID=debian\n");
        ClassLookup both = ExtensionReleaseLocator.classify(fs, "x", SystemdVersion.V252);
        assertThat(both.kind()).isEqualTo(ClassLookup.Kind.BOTH);
        assertThat(both.classes()).containsExactly(ExtensionClass.SYSEXT, ExtensionClass.CONFEXT);
        Files.delete(dir.resolve("etc/extension-release.d/extension-release.x"));
        assertThat(ExtensionReleaseLocator.classify(fs, "x", SystemdVersion.V252).kind())
                .isEqualTo(ClassLookup.Kind.SYSEXT);
    }
}
