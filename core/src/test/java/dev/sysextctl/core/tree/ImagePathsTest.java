package dev.sysextctl.core.tree;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImagePathsTest {
    @Test
    void normalisesArchiveNames() {
        assertThat(ImagePaths.normalize("./usr//bin/./x/")).contains("usr/bin/x");
        assertThat(ImagePaths.normalize("./")).contains("");
        assertThat(ImagePaths.normalize("usr")).contains("usr");
    }

    @Test
    void refusesAbsoluteAndDotDot() {
        assertThat(ImagePaths.normalize("/etc/passwd")).isEmpty();
        assertThat(ImagePaths.normalize("../escape")).isEmpty();
        assertThat(ImagePaths.normalize("usr/../../x")).isEmpty();
        assertThat(ImagePaths.normalize("usr/..")).isEmpty();
    }

    @Test
    void relativeLinksMustStayInside() {
        assertThat(ImagePaths.relativeLinkStaysInside("usr/bin/docker-runc", "runc")).isTrue();
        assertThat(ImagePaths.relativeLinkStaysInside("usr/lib/systemd/system/x.wants/a", "../a")).isTrue();
        assertThat(ImagePaths.relativeLinkStaysInside("usr/bin/x", "../../etc/y")).isTrue();
        assertThat(ImagePaths.relativeLinkStaysInside("usr/bin/x", "../../../etc/y")).isFalse();
        assertThat(ImagePaths.relativeLinkStaysInside("top", "../x")).isFalse();
        assertThat(ImagePaths.relativeLinkStaysInside("usr/bin/x", "/etc/y")).isTrue();
    }

    @Test
    void parents() {
        assertThat(ImagePaths.parents("usr/bin/x")).containsExactly("usr", "usr/bin");
        assertThat(ImagePaths.parents("usr")).isEmpty();
    }

    @Test
    void lsModeShowsSpecialBits() {
        TreeEntry e = TreeEntry.file("usr/bin/x", 04755, 1);
        assertThat(e.lsMode()).isEqualTo("-rwsr-xr-x");
        assertThat(TreeEntry.directory("tmp", 01777).lsMode()).isEqualTo("drwxrwxrwt");
        assertThat(TreeEntry.file("y", 02644, 0).lsMode()).isEqualTo("-rw-r-Sr--");
    }

    @Test
    void cescapeEscapesWhatCouldBreakALineAsSystemdDoes() {
        assertThat(ImagePaths.cescape("usr/bin/plain-ü")).isEqualTo("usr/bin/plain-ü");
        assertThat(ImagePaths.cescape("a\nb\tc\rd\\e\u0007\b\f\u000b")).isEqualTo("a\\nb\\tc\\rd\\\\e\\a\\b\\f\\v");
        assertThat(ImagePaths.cescape("x\u0001\u001b[31m\u007f\u0085")).isEqualTo("x\\x01\\x1b[31m\\x7f\\x85");
    }

    @Test
    void parentOfWalksUpOneComponent() {
        assertThat(ImagePaths.parentOf("usr/bin/x")).isEqualTo("usr/bin");
        assertThat(ImagePaths.parentOf("usr")).isNull();
    }

    @Test
    void directoryOfAndBaseNameSplitAPath() {
        assertThat(ImagePaths.directoryOf("usr/bin/x")).isEqualTo("usr/bin");
        assertThat(ImagePaths.directoryOf("usr")).isEmpty();
        assertThat(ImagePaths.directoryOf("/etc/x")).isEqualTo("/etc");
        assertThat(ImagePaths.baseName("usr/bin/x")).isEqualTo("x");
        assertThat(ImagePaths.baseName("usr")).isEqualTo("usr");
    }

    @Test
    void lexicalResolveNormalisesAndStopsAtTheRoot() {
        assertThat(ImagePaths.lexicalResolve("usr/bin", "../lib/./x")).isEqualTo("usr/lib/x");
        assertThat(ImagePaths.lexicalResolve("usr/bin", "/opt//y")).isEqualTo("opt/y");
        assertThat(ImagePaths.lexicalResolve("", "a/../b")).isEqualTo("b");
        assertThat(ImagePaths.lexicalResolve("usr", "../../x")).isNull();
    }

    @Test
    void relativizeGivesTheLinkTextBetweenTwoImagePaths() {
        assertThat(ImagePaths.relativize("usr/bin", "usr/lib/x")).isEqualTo("../lib/x");
        assertThat(ImagePaths.relativize("usr/bin", "usr/bin/y")).isEqualTo("y");
        assertThat(ImagePaths.relativize("", "usr/bin/y")).isEqualTo("usr/bin/y");
        assertThat(ImagePaths.relativize("usr/bin", "usr/bin")).isEqualTo(".");
        assertThat(ImagePaths.relativize("opt/a/b", "usr")).isEqualTo("../../../usr");
    }
}
