package dev.sysextctl.merger.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The mount commands the merger sends, as fstab lines, and the commands that stay commands. */
class FstabTest {
    @Test
    void theMergersMountCommandsBecomeTheLinesThatMountTheSame() {
        assertThat(Fstab.line(List.of("mount", "-t", "squashfs", "-o", "ro,loop", "/etc/extensions/a.raw",
                "/run/systemd/sysext/extensions/a"))).hasValue("/etc/extensions/a.raw "
                        + "/run/systemd/sysext/extensions/a squashfs ro,loop 0 0");
        assertThat(Fstab.line(List.of("mount", "--bind", "-o", "ro", "/var/lib/extensions/d",
                "/run/systemd/sysext/extensions/d"))).hasValue("/var/lib/extensions/d "
                        + "/run/systemd/sysext/extensions/d none bind,ro 0 0");
        assertThat(Fstab.line(List.of("mount", "-o", "ro", "/dev/sdb1", "/x"))).hasValue("/dev/sdb1 /x auto ro 0 0");
        assertThat(Fstab.line(List.of("mount", "/dev/sdb1", "/x"))).hasValue("/dev/sdb1 /x auto defaults 0 0");
    }

    @Test
    void otherCommandsAreNotTableLines() {
        assertThat(Fstab.line(List.of("sh", "-c", "mount x y"))).isEmpty();
        assertThat(Fstab.line(List.of("mount", "-a"))).isEmpty();
        assertThat(Fstab.line(List.of("mount", "--make-rslave", "/run"))).isEmpty();
        assertThat(Fstab.line(List.of("mount", "-t", "overlay", "-o", "ro,lowerdir=/a:/b", "sysext", "/x", "/y")))
                .isEmpty();
        assertThat(Fstab.line(List.of("mount", "-o", "ro", "-o", "loop", "/a", "/b"))).isEmpty();
        assertThat(Fstab.line(List.of("mount", "-o", "ro,x-name=a b", "/a", "/b"))).isEmpty();
        assertThat(Fstab.line(List.of("mount", "--bind", "-t", "squashfs", "/a", "/b"))).isEmpty();
        assertThat(Fstab.line(List.of("mount", "-t"))).isEmpty();
    }

    @Test
    void everyByteThatCouldSplitOrEndALineIsAnOctalEscape() {
        assertThat(Fstab.escape("/run/a b\tc\nd\\e#f")).isEqualTo("/run/a\\040b\\011c\\012d\\134e\\043f");
        assertThat(Fstab.escape("/x/ü")).isEqualTo("/x/\\303\\274");
        assertThat(Fstab.escape("/x/A-z_0.9:,+=@")).isEqualTo("/x/A-z_0.9:,+=@");
        assertThat(Fstab.line(List.of("mount", "-t", "squashfs", "-o", "ro,loop", "/i/my ext.raw",
                "/run/systemd/sysext/extensions/my ext"))).hasValue("/i/my\\040ext.raw "
                        + "/run/systemd/sysext/extensions/my\\040ext squashfs ro,loop 0 0");
    }
}
