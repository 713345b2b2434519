package dev.sysextctl.builder.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TarStreamWriterTest {
    static final String LONG = "usr/share/" + "very-long-directory-name/".repeat(8) + "file-é";

    private static byte[] write() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarStreamWriter w = new TarStreamWriter(b)) {
            w.add(new TreeEntry("usr", EntryType.DIRECTORY, 0755, 0, 0, 0, null, 0, 0, 7, null), null);
            w.add(new TreeEntry("usr/tmp", EntryType.DIRECTORY, 01777, 0, 0, 0, null, 0, 0, 7,
                    Map.of("user.dir", "d")), null);
            w.add(new TreeEntry("usr/bin/su", EntryType.FILE, 04755, 0, 0, 5, null, 0, 0, 7,
                    Map.of("user.extension-release.strict", "0")), new ByteArrayInputStream("su!!\n".getBytes()));
            w.add(new TreeEntry("usr/bin/su2", EntryType.HARDLINK, 04755, 0, 0, 0, "usr/bin/su", 0, 0, 7, null), null);
            w.add(new TreeEntry("usr/bin/s", EntryType.SYMLINK, 0777, 0, 0, 2, "su", 0, 0, 7, null), null);
            w.add(new TreeEntry("usr/lib/wh", EntryType.CHAR_DEVICE, 0, 0, 0, 0, null, 0, 0, 7, null), null);
            w.add(new TreeEntry("usr/lib/fifo", EntryType.FIFO, 0600, 5, 6, 0, null, 0, 0, 7, null), null);
            w.add(new TreeEntry(LONG, EntryType.FILE, 0644, 3000000, 3000000, 0, null, 0, 0, 7, null),
                    new ByteArrayInputStream(new byte[0]));
            w.finish();
        }
        return b.toByteArray();
    }

    @Test
    void theSameEntriesGiveTheSameBytes() throws IOException {
        assertThat(write()).isEqualTo(write());
    }

    @Test
    void entriesReadBackWithTypeModeOwnerTimeXattrsAndNoNames() throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        List<String> contents = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(write()), "UTF-8")) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.add(e);
                contents.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly("usr/", "usr/tmp/", "usr/bin/su",
                "usr/bin/su2", "usr/bin/s", "usr/lib/wh", "usr/lib/fifo", LONG);
        assertThat(entries).allSatisfy(e -> {
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getGroupName()).isEmpty();
            assertThat(e.getLastModifiedDate().getTime()).isEqualTo(7000);
        });
        assertThat(entries.get(1).getMode()).isEqualTo(041777);
        assertThat(entries.get(1).getExtraPaxHeaders()).containsEntry("SCHILY.xattr.user.dir", "d");
        assertThat(entries.get(2).getMode()).isEqualTo(0104755);
        assertThat(entries.get(2).getExtraPaxHeaders()).containsEntry("SCHILY.xattr.user.extension-release.strict", "0");
        assertThat(contents.get(2)).isEqualTo("su!!\n");
        assertThat(entries.get(3).isLink()).isTrue();
        assertThat(entries.get(3).getLinkName()).isEqualTo("usr/bin/su");
        assertThat(entries.get(4).isSymbolicLink()).isTrue();
        assertThat(entries.get(4).getLinkName()).isEqualTo("su");
        assertThat(entries.get(5).isCharacterDevice()).isTrue();
        assertThat(entries.get(6)).extracting(TarArchiveEntry::isFIFO, TarArchiveEntry::getLongUserId)
                .containsExactly(true, 5L);
        assertThat(entries.get(7).getLongUserId()).isEqualTo(3000000L);
    }

    @Test
    void aFileLongerOrShorterThanAnnouncedIsRefused() {
        assertThatThrownBy(() -> {
            try (TarStreamWriter w = new TarStreamWriter(new ByteArrayOutputStream())) {
                w.add(TreeEntry.file("usr/x", 0644, 3), new ByteArrayInputStream("four".getBytes()));
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("longer than its 3 bytes");
        assertThatThrownBy(() -> {
            try (TarStreamWriter w = new TarStreamWriter(new ByteArrayOutputStream())) {
                w.add(TreeEntry.file("usr/x", 0644, 5), new ByteArrayInputStream("four".getBytes()));
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("shorter than its 5 bytes");
    }
}
