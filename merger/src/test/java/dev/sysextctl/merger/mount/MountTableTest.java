package dev.sysextctl.merger.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {
    static final String INFO = """
            27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            64 27 254:0 /tmp/r/usr /tmp/r/usr rw,relatime shared:1 - ext4 /dev/vda rw
            97 64 0:41 / /tmp/r/usr ro,relatime shared:22 - overlay sysext ro,lowerdir=/run/systemd/sysext/meta/usr:/run/systemd/sysext/extensions/a\\:b/usr:/tmp/r/usr,redirect_dir=on
            98 27 0:42 / /tmp/sp\\040ace rw - tmpfs tmpfs rw
            99 27 0:43 / /tmp/private rw - tmpfs tmpfs rw
            """;

    @Test
    void parsesMountPointsOptionalFieldsAndOverlayLayers() {
        MountTable t = MountTable.parse(INFO);
        assertThat(t.entries()).hasSize(5);
        assertThat(t.isMountPoint(Path.of("/tmp/r/usr"))).isTrue();
        assertThat(t.isMountPoint(Path.of("/tmp/r"))).isFalse();
        MountEntry top = t.top(Path.of("/tmp/r/usr"));
        assertThat(top.id()).isEqualTo(97);
        assertThat(top.fsType()).isEqualTo("overlay");
        assertThat(top.source()).isEqualTo("sysext");
        assertThat(top.lowerDirs()).containsExactly("/run/systemd/sysext/meta/usr",
                "/run/systemd/sysext/extensions/a:b/usr", "/tmp/r/usr");
        assertThat(top.superOption("redirect_dir")).isEqualTo("on");
        assertThat(t.isMountPoint(Path.of("/tmp/sp ace"))).isTrue();
    }

    @Test
    void containingMountAndSharedness() {
        MountTable t = MountTable.parse(INFO);
        assertThat(t.containing(Path.of("/tmp/r/etc")).id()).isEqualTo(27);
        assertThat(t.containing(Path.of("/tmp/r/usr/bin")).id()).isEqualTo(97);
        assertThat(t.containing(Path.of("/tmp/r")).isShared()).isTrue();
        assertThat(t.containing(Path.of("/tmp/private/x")).isShared()).isFalse();
    }

    @Test
    void devNumbersFromStDevAndMarkers() {
        assertThat(DevNumber.ofStDev(58L)).isEqualTo(new DevNumber(0, 58));
        assertThat(DevNumber.ofStDev((254L << 8) | 3)).isEqualTo(new DevNumber(254, 3));
        assertThat(DevNumber.ofStDev((1L << 8) | (0x12345L & 0xff) | ((0x12345L & ~0xffL) << 12)))
                .isEqualTo(new DevNumber(1, 0x12345));
        assertThat(DevNumber.parse("0:58\n")).contains(new DevNumber(0, 58));
        assertThat(DevNumber.parse("0:58\nmore")).contains(new DevNumber(0, 58));
        assertThat(DevNumber.parse("garbage")).isEmpty();
        assertThat(DevNumber.parse(":1")).isEmpty();
        assertThat(new DevNumber(0, 58)).hasToString("0:58");
    }

    @Test
    void overlayOptionsEscapeLikeSystemdAndAliasWhatCannotTravel() {
        assertThat(OverlayOptions.readOnly(java.util.List.of("/run/x/meta/usr", "/a,b:c\\d")))
                .isEqualTo("ro,lowerdir=/run/x/meta/usr:/a\\,b\\:c\\\\d");
        assertThat(OverlayOptions.needsAlias("/tmp/q\"q")).isTrue();
        assertThat(OverlayOptions.needsAlias("/tmp/sp ace")).isFalse();
    }

    @Test
    void shellQuotingKeepsEveryByte() {
        assertThat(Shell.quote("it's")).isEqualTo("'it'\\''s'");
        assertThat(Shell.command(java.util.List.of("mount", "-o", "ro,lowerdir=/a:/b", "/x y")))
                .isEqualTo("mount -o ro,lowerdir=/a:/b '/x y'");
    }
}
