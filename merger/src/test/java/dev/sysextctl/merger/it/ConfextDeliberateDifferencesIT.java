package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.it.ConfextDifferential.Pair;
import dev.sysextctl.merger.it.ConfextDifferential.Scenario;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.testing.Requires;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the native engine's confext merge deliberately differs from systemd-confext 257 (docs/compatibility.md §8):
 * each test runs the layout through both and asserts what each does.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare", "chroot"})
class ConfextDeliberateDifferencesIT {
    static final String VL = ConfextConformanceIT.VL;

    @TempDir
    Path tmp;

    /** 257 names the image files it uses ({@code 'a.raw', 'd'}); sysextctl names the images, as 252 did. */
    @Test
    void usingLineNamesImagesNotFiles() {
        Pair p = ConfextDifferential.run(tmp, "d-names", Scenario.of(l -> l.raw(VL, Ext.confext("a"))
                .directory(VL, Ext.confext("d"))));
        assertThat(p.systemd().output()).as("%s", p).contains("Using extensions 'a.raw', 'd'.");
        assertThat(p.nativeRun().output()).as("%s", p).contains("Using extensions 'a', 'd'.");
        assertThat(p.nativeRun().confexts()).isEqualTo(p.systemd().confexts()).isEqualTo("a\nd");
    }

    /** A raw confext without its release file fails systemd-confext's whole merge; sysextctl skips that image. */
    @Test
    void rawConfextWithoutReleaseIsSkippedNotAFailureOfEverything() {
        Pair p = ConfextDifferential.run(tmp, "d-norel", Scenario.of(l -> l.raw(VL, Ext.confext("r").noRelease())
                .raw(VL, Ext.confext("good"))));
        assertThat(p.systemd().rc()).as("%s", p).isEqualTo(1);
        assertThat(p.systemd().output()).contains("Failed to read metadata for image r");
        assertThat(p.systemd().mounted()).isFalse();
        assertThat(p.nativeRun().rc()).as("%s", p).isZero();
        assertThat(p.nativeRun().merged()).containsExactly("good");
        assertThat(p.nativeRun().output()).contains("skipped broken image 'r'");
    }
}
