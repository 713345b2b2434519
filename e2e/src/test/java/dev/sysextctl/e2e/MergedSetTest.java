package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MergedSetTest {
    private static final String BASE = "72 1 0:70 / / rw,relatime shared:1 - overlay overlay rw,lowerdir=/var/lib/docker/a\n"
            + "80 72 254:0 /x /usr ro,relatime shared:30 - ext4 /dev/vda ro\n";

    @Test
    void theLayersOfTheTopmostSysextOverlayLowestFirst() {
        String mountinfo = BASE
                + "338 72 0:84 / /usr ro,relatime shared:43 - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:"
                + "/run/systemd/sysext/extensions/docker/usr:/run/systemd/sysext/extensions/containerd/usr:/usr,"
                + "redirect_dir=on\n"
                + "339 72 0:85 / /opt ro,relatime shared:44 - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/opt:"
                + "/run/systemd/sysext/extensions/tools/opt\n";

        assertThat(MergedSet.overlayLayers(mountinfo, "/usr")).containsExactly("containerd", "docker");
        assertThat(MergedSet.overlayLayers(mountinfo, "/opt")).containsExactly("tools");
    }

    @Test
    void nothingWhenTheTopmostMountIsNoSysextOverlay() {
        assertThat(MergedSet.overlayLayers(BASE, "/usr")).isEmpty();
        assertThat(MergedSet.overlayLayers(BASE, "/opt")).isEmpty();
        assertThat(MergedSet.overlayLayers(BASE + "90 80 0:90 / /usr ro - overlay other lowerdir="
                + "/run/systemd/sysext/extensions/x/usr:/usr\n", "/usr")).isEmpty();
    }
}
