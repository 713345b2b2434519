package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** image_name_is_valid() and name derivation, docs/compatibility.md §1.2–1.3 and scenario K26. */
class ImageNamesTest {
    private static final SystemdVersion V252 = SystemdVersion.V252;
    private static final SystemdVersion V257 = new SystemdVersion(257);

    @Test
    void validNamesOfK26() {
        for (String n : new String[] {".hidden", "sp ace", "d.raw", "w.sysext", "foo", "docker-flatcar", "a_b+c"}) {
            assertThat(ImageNames.isValid(n)).as(n).isTrue();
        }
    }

    @Test
    void invalidNames() {
        assertThat(ImageNames.invalidReason("")).contains("the name is empty");
        assertThat(ImageNames.invalidReason(".")).isPresent();
        assertThat(ImageNames.invalidReason("..")).isPresent();
        assertThat(ImageNames.invalidReason("a/b")).contains("the name contains '/'");
        assertThat(ImageNames.invalidReason(".#tmp")).isPresent();
        assertThat(ImageNames.invalidReason("tab\tname")).contains("the name contains a control character");
        assertThat(ImageNames.invalidReason("del\u007fname")).isPresent();
        assertThat(ImageNames.invalidReason("x".repeat(256))).contains("the name is longer than 255 bytes");
        assertThat(ImageNames.isValid("x".repeat(255))).isTrue();
        assertThat(ImageNames.isValid("ü".repeat(128))).isFalse();
        assertThat(ImageNames.isValid("bad\uFFFDutf8")).isFalse();
        assertThat(ImageNames.isValid("lone\uD800")).isFalse();
        assertThat(ImageNames.isValid("pair\uD83D\uDE00")).isTrue();
    }

    @Test
    void regularFilesNeedTheRawSuffix() {
        assertThat(ImageNames.fromEntry("foo.raw", ImageType.RAW, V252)).contains("foo");
        assertThat(ImageNames.fromEntry("v.img", ImageType.RAW, V252)).isEmpty();
        assertThat(ImageNames.fromEntry("v.RAW", ImageType.RAW, V252)).isEmpty();
        assertThat(ImageNames.fromEntry("v.raw.bak", ImageType.RAW, V252)).isEmpty();
        assertThat(ImageNames.fromEntry(".raw", ImageType.RAW, V252)).isEmpty();
        assertThat(ImageNames.fromEntry(".#tmp.raw", ImageType.RAW, V252)).isEmpty();
    }

    @Test
    void directoriesAndBlockDevicesKeepTheirNameVerbatim() {
        assertThat(ImageNames.fromEntry("d.raw", ImageType.DIRECTORY, V252)).contains("d.raw");
        assertThat(ImageNames.fromEntry("blk", ImageType.BLOCK, V252)).contains("blk");
    }

    @Test
    void sysextSuffixIsStrippedFrom255() {
        assertThat(ImageNames.fromEntry("w.sysext.raw", ImageType.RAW, V252)).contains("w.sysext");
        assertThat(ImageNames.fromEntry("s.sysext.raw", ImageType.RAW, V257)).contains("s");
        assertThat(ImageNames.fromFileName("docker-24.0-x86-64.raw", V252)).isEqualTo("docker-24.0-x86-64");
    }

    @Test
    void truncatedNameFor257Fallback() {
        assertThat(ImageNames.truncatedAtVersion("tr_7.raw")).isEqualTo("tr");
        assertThat(ImageNames.truncatedAtVersion("tr_7")).isEqualTo("tr");
        assertThat(ImageNames.truncatedAtVersion("k+1.sysext.raw")).isEqualTo("k");
        assertThat(ImageNames.truncatedAtVersion("plain")).isEqualTo("plain");
    }
}
