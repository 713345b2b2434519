package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.UsageException;
import org.junit.jupiter.api.Test;

class SystemdVersionTest {
    @Test
    void searchDirsOf252And254() throws Exception {
        assertThat(SystemdVersion.parse("252").searchDirs()).containsExactly("/etc/extensions", "/run/extensions",
                "/var/lib/extensions", "/usr/local/lib/extensions", "/usr/lib/extensions");
        assertThat(SystemdVersion.parse("v257.13").searchDirs()).containsExactly("/etc/extensions",
                "/run/extensions", "/var/lib/extensions");
    }

    @Test
    void badVersionsAreUsageErrors() {
        assertThatThrownBy(() -> SystemdVersion.parse("abc")).isInstanceOf(UsageException.class)
                .hasMessageContaining("--systemd-version");
        assertThatThrownBy(() -> SystemdVersion.parse("200")).isInstanceOf(UsageException.class);
    }

    @Test
    void gates() throws Exception {
        assertThat(SystemdVersion.V252.matchesIdLike()).isFalse();
        assertThat(SystemdVersion.parse("257").matchesIdLike()).isTrue();
        assertThat(SystemdVersion.parse("255").stripsSysextSuffix()).isTrue();
        assertThat(SystemdVersion.parse("256").usesTransferSuffix()).isFalse();
        assertThat(SystemdVersion.parse("257").usesTransferSuffix()).isTrue();
    }
}
