package dev.sysextctl.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The message of a missing native tool names what provides it. */
class ToolNotFoundExceptionTest {
    @Test
    void aPackagedToolNamesItsPackageAndSystemdConfextTheSystemdThatHasIt() {
        assertThat(new ToolNotFoundException("mksquashfs")).hasMessage("mksquashfs not found; install squashfs-tools "
                + "(apt-get install squashfs-tools) or put it on PATH");
        // Debian has no systemd-confext package: it is part of systemd from 254 (trixie's systemd package)
        assertThat(new ToolNotFoundException("systemd-confext")).hasMessage("systemd-confext not found; it comes with "
                + "systemd 254 and later (on Debian, the systemd package of Debian 13 and later), or put it on PATH")
                .hasMessageNotContaining("apt-get install systemd-confext");
    }
}
