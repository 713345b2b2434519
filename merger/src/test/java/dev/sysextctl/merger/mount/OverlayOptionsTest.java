package dev.sysextctl.merger.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayOptionsTest {
    private static final String EXT = "/run/systemd/sysext/extensions";

    @Test
    void escapesSeparatorsAsSystemdDoes() {
        assertThat(OverlayOptions.readOnly(List.of("/a:b", "/c,d", "/e\\f")))
                .isEqualTo("ro,lowerdir=/a\\:b:/c\\,d:/e\\\\f");
    }

    @Test
    void fitsCountsTheDataAfterRoInBytes() {
        assertThat(OverlayOptions.fits("ro," + "x".repeat(OverlayOptions.MAX_DATA))).isTrue();
        assertThat(OverlayOptions.fits("ro," + "x".repeat(OverlayOptions.MAX_DATA + 1))).isFalse();
        assertThat(OverlayOptions.fits("ro," + "é".repeat(OverlayOptions.MAX_DATA / 2 + 1))).isFalse();
    }

    @Test
    void relativeLayersAreWrittenFromTheExtensionsDirectory() {
        assertThat(OverlayOptions.relativeTo(EXT, List.of("/run/systemd/sysext/meta/usr", EXT + "/b/usr",
                EXT + "/a/usr", "/srv/root/usr"))).containsExactly("../meta/usr", "b/usr", "a/usr", "/srv/root/usr");
    }

    @Test
    void twoHundredLayersDoNotFitAbsoluteButFitRelative() {
        List<String> dirs = new ArrayList<>(List.of("/run/systemd/sysext/meta/usr"));
        for (int i = 200; i >= 1; i--) {
            dirs.add(EXT + "/ext-" + i + "/usr");
        }
        dirs.add("/usr");
        assertThat(OverlayOptions.fits(OverlayOptions.readOnly(dirs))).isFalse();
        assertThat(OverlayOptions.fits(OverlayOptions.readOnly(OverlayOptions.relativeTo(EXT, dirs)))).isTrue();
    }
}
