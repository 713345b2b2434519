package dev.sysextctl.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void systemdNamesAreKeptAsTheyAre() {
        for (String n : Architecture.SYSTEMD_NAMES) {
            assertThat(Architecture.normalize(n)).contains(n);
        }
    }

    @Test
    void aliasesAreNormalised() {
        assertThat(Architecture.normalize("x86_64")).contains("x86-64");
        assertThat(Architecture.normalize("amd64")).contains("x86-64");
        assertThat(Architecture.normalize("AMD64")).contains("x86-64");
        assertThat(Architecture.normalize("aarch64")).contains("arm64");
        assertThat(Architecture.normalize("i686")).contains("x86");
        assertThat(Architecture.normalize("ppc64le")).contains("ppc64-le");
        assertThat(Architecture.normalize("_any")).contains("_any");
    }

    @Test
    void unknownNamesAreNotGuessed() {
        assertThat(Architecture.normalize("X86-64")).isEmpty();
        assertThat(Architecture.normalize("pentium")).isEmpty();
        assertThat(Architecture.normalize("")).isEmpty();
        assertThat(Architecture.isSystemdName("x86_64")).isFalse();
    }

    @Test
    void hostIsASystemdName() {
        assertThat(Architecture.isSystemdName(Architecture.host())).isTrue();
        assertThat(Architecture.normalize("host")).contains(Architecture.host());
    }
}
