package dev.sysextctl.merger.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeMarkersTest {
    @TempDir
    Path usr;

    @Test
    void markersAreReadButAPlainDirectoryIsNeverALiveMerge() throws Exception {
        Files.createDirectories(usr.resolve(".systemd-sysext"));
        Files.writeString(usr.resolve(".systemd-sysext/extensions"), "a\nb\n");
        DevNumber own = MergeMarkers.stDev(usr);
        Files.writeString(usr.resolve(".systemd-sysext/dev"), own + "\n");
        assertThat(MergeMarkers.readExtensions(usr)).containsExactly("a", "b");
        assertThat(MergeMarkers.readDev(usr)).contains(own);
        MountTable none = MountTable.parse("");
        assertThat(MergeMarkers.isOurs(usr, none)).isFalse();
        assertThat(MergeMarkers.hasStaleMarker(usr, none)).isTrue();
        MountTable mounted = MountTable.parse("90 1 " + own + " / " + usr + " ro - overlay sysext ro\n");
        assertThat(MergeMarkers.isOurs(usr, mounted)).isTrue();
        Files.writeString(usr.resolve(".systemd-sysext/dev"), "0:1\n");
        assertThat(MergeMarkers.isOurs(usr, mounted)).as("dev mismatch: an offline copy").isFalse();
    }
}
