package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing of {@code unsquashfs -lln} output as squashfs-tools 4.5.1 prints it. */
class UnsquashfsListingTest {
    private static final String LISTING = String.join("\n",
            "drwxr-xr-x 0/0                      26 1970-01-01 00:00 squashfs-root",
            "drwxr-xr-x 1000/1000                50 1970-01-01 00:00 squashfs-root/usr",
            "-rwsr-xr-x 0/0                       3 2023-11-14 22:13 squashfs-root/usr/bin/a b",
            "lrwxrwxrwx 0/0                       1 1970-01-01 00:00 squashfs-root/usr/bin/sym -> a b",
            "crw-r--r-- 0/0                  1,   3 1970-01-01 00:00 squashfs-root/usr/null",
            "crw-r--r-- 0/0                  0,   0 1970-01-01 00:00 squashfs-root/usr/wh",
            "drwxrwxrwt 0/0                       3 1970-01-01 00:00 squashfs-root/usr/tmp",
            "prw-r--r-- 0/0                       0 1970-01-01 00:00 squashfs-root/usr/fifo",
            "");

    @Test
    void parsesEveryColumn() {
        List<TreeEntry> e = DefaultUnsquashfs.parseListing(LISTING);
        assertThat(e).extracting(TreeEntry::path).containsExactly("", "usr", "usr/bin/a b", "usr/bin/sym", "usr/null",
                "usr/wh", "usr/tmp", "usr/fifo");
        assertThat(e.get(1).uid()).isEqualTo(1000);
        TreeEntry a = e.get(2);
        assertThat(a.type()).isEqualTo(EntryType.FILE);
        assertThat(a.mode()).isEqualTo(04755);
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.mtime()).isEqualTo(1700000000L - 20);
        assertThat(e.get(3).linkTarget()).isEqualTo("a b");
        assertThat(e.get(4).type()).isEqualTo(EntryType.CHAR_DEVICE);
        assertThat(e.get(4).devMajor()).isEqualTo(1);
        assertThat(e.get(4).devMinor()).isEqualTo(3);
        assertThat(e.get(6).mode()).isEqualTo(01777);
        assertThat(e.get(7).type()).isEqualTo(EntryType.FIFO);
    }

    @Test
    void modeStrings() {
        assertThat(DefaultUnsquashfs.parseMode("-rwxr-xr-x")).isEqualTo(0755);
        assertThat(DefaultUnsquashfs.parseMode("-rwSr-Sr-T")).isEqualTo(07644);
        assertThat(DefaultUnsquashfs.parseMode("-rwsr-sr-t")).isEqualTo(07755);
    }
}
