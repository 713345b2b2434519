package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The default seed of a DDI (docs/ddi.md §2): the image's manifest decides it, and every part of it counts. */
class DdiSeedTest {
    private static final byte[] RELEASE = "ID=_any\n".getBytes(StandardCharsets.UTF_8);

    private static List<TreeEntry> entries() {
        return List.of(TreeEntry.directory("usr", 0755), TreeEntry.directory("usr/bin", 0755),
                TreeEntry.file("usr/bin/app", 0755, 1234), TreeEntry.symlink("usr/bin/app2", "app"),
                new TreeEntry("usr/lib", EntryType.DIRECTORY, 0755, 0, 0, 0, null, 0, 0, 0, Map.of("user.a", "b")));
    }

    private static UUID seed(List<TreeEntry> entries) {
        return DdiSeed.of(BuildFormat.EROFS, Compression.NONE, 1234, entries, RELEASE);
    }

    private static List<TreeEntry> with(int i, UnaryOperator<TreeEntry> change) {
        List<TreeEntry> l = new ArrayList<>(entries());
        l.set(i, change.apply(l.get(i)));
        return l;
    }

    @Test
    void theSameManifestGivesTheSameVersion4Uuid() {
        UUID a = seed(entries());
        assertThat(seed(entries())).isEqualTo(a);
        assertThat(a.version()).isEqualTo(4);
        assertThat(a.variant()).isEqualTo(2);
    }

    @Test
    void everyPartOfTheManifestChangesTheSeed() {
        TreeEntry f = entries().get(2);
        List<UUID> seeds = List.of(
                seed(entries()),
                seed(with(2, e -> e.withPath("usr/bin/app3"))),
                seed(with(2, e -> e.withMode(0700))),
                seed(with(2, e -> e.withOwner(1000, 0))),
                seed(with(2, e -> e.withOwner(0, 1000))),
                seed(with(2, e -> new TreeEntry(e.path(), EntryType.FILE, e.mode(), 0, 0, 1235, null, 0, 0, 0,
                        null))),
                seed(with(3, e -> TreeEntry.symlink(e.path(), "app3"))),
                seed(with(4, e -> new TreeEntry(e.path(), e.type(), e.mode(), 0, 0, 0, null, 0, 0, 0,
                        Map.of("user.a", "c")))),
                seed(with(2, e -> new TreeEntry(e.path(), EntryType.CHAR_DEVICE, e.mode(), 0, 0, 0, null, 1, 3, 0,
                        null))),
                seed(with(2, e -> new TreeEntry(e.path(), EntryType.CHAR_DEVICE, e.mode(), 0, 0, 0, null, 1, 5, 0,
                        null))),
                seed(entries().subList(0, 4)),
                DdiSeed.of(BuildFormat.SQUASHFS, Compression.NONE, 1234, entries(), RELEASE),
                DdiSeed.of(BuildFormat.EROFS, Compression.LZ4HC, 1234, entries(), RELEASE),
                DdiSeed.of(BuildFormat.EROFS, Compression.NONE, 1235, entries(), RELEASE),
                DdiSeed.of(BuildFormat.EROFS, Compression.NONE, 1234, entries(),
                        "ID=debian\n".getBytes(StandardCharsets.UTF_8)));
        Set<UUID> distinct = new HashSet<>(seeds);
        assertThat(distinct).hasSameSizeAs(seeds);
        assertThat(f.type()).isEqualTo(EntryType.FILE);
    }

    @Test
    void fieldsDoNotRunIntoEachOther() {
        // a path and a link target that concatenate to the same text give different seeds
        List<TreeEntry> a = List.of(new TreeEntry("usr/ab", EntryType.HARDLINK, 0644, 0, 0, 0, "c", 0, 0, 0, null));
        List<TreeEntry> b = List.of(new TreeEntry("usr/a", EntryType.HARDLINK, 0644, 0, 0, 0, "bc", 0, 0, 0, null));
        assertThat(seed(a)).isNotEqualTo(seed(b));
    }

    @Test
    void timesInTheEntriesDoNotCountTheEpochDoes() {
        // the image's times are the epoch's; an entry's own time never reaches it
        List<TreeEntry> later = with(2, e -> e.withMtime(99));
        assertThat(seed(later)).isEqualTo(seed(entries()));
    }
}
