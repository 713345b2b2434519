package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OsReleaseTest {
    @Test
    void readsIdAndVersionIdLikeSystemd() {
        OsRelease os = OsRelease.parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n"
                + "VERSION_ID=\"12\"\n# comment\n");
        assertThat(os).isEqualTo(new OsRelease("debian", "12"));
        assertThat(os.extensionReleaseLines()).containsExactly("ID=debian", "VERSION_ID=12");
    }

    @Test
    void anotherVersionIsThePreviousReleaseOrAnUnrelatedString() {
        assertThat(new OsRelease("debian", "12").otherVersion()).isEqualTo(new OsRelease("debian", "11"));
        assertThat(new OsRelease("fedora", "40.1").otherVersion().versionId()).isNotEqualTo("40.1");
        assertThat(new OsRelease("arch", null).extensionReleaseLines()).containsExactly("ID=arch");
    }

    @Test
    void anOsReleaseWithoutIdIsRejected() {
        assertThatThrownBy(() -> OsRelease.parse("VERSION_ID=12\n")).isInstanceOf(IllegalArgumentException.class);
    }
}
