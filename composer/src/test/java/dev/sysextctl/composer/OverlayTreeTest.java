package dev.sysextctl.composer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The opaque directory ({@code trusted.overlay.opaque=y}) rules in memory: the marker hides the lower directories'
 * contents whether the entry carries it or only the reader's {@code xattrs} reports it (as the squashfs and erofs
 * readers do). The rules are proved against systemd-sysext by {@link ComposeConformanceIT}.
 */
class OverlayTreeTest {
    /** An in-memory tree: entries by path. */
    record Fake(TreeMap<String, TreeEntry> entries) implements ImageFileSystem {
        static Fake of(TreeEntry... es) {
            TreeMap<String, TreeEntry> m = new TreeMap<>();
            for (TreeEntry e : es) {
                m.put(e.path(), e);
            }
            return new Fake(m);
        }

        @Override
        public Optional<TreeEntry> lstat(String path) {
            return Optional.ofNullable(entries.get(path));
        }

        @Override
        public List<TreeEntry> list(String path) {
            List<TreeEntry> out = new ArrayList<>();
            for (TreeEntry e : entries.values()) {
                if (path.equals(e.parent())) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public List<TreeEntry> walk() {
            return List.copyOf(entries.values());
        }

        @Override
        public byte[] read(String path) {
            return new byte[0];
        }

        @Override
        public Map<String, String> xattrs(String path) {
            return entries.get(path).xattrs();
        }
    }

    private static List<String> paths(OverlayTree t) {
        return t.entries().stream().map(m -> m.entry().path()).toList();
    }

    /** Entries without xattrs, the marker on {@code opaque} reported by {@code xattrs} only, as the readers do. */
    record ReaderMarked(Fake tree, String opaque) implements ImageFileSystem {
        @Override
        public Optional<TreeEntry> lstat(String path) {
            return tree.lstat(path);
        }

        @Override
        public List<TreeEntry> list(String path) {
            return tree.list(path);
        }

        @Override
        public List<TreeEntry> walk() {
            return tree.walk();
        }

        @Override
        public byte[] read(String path) {
            return tree.read(path);
        }

        @Override
        public Map<String, String> xattrs(String path) {
            return path.equals(opaque) ? Map.of(OverlayTree.OPAQUE_XATTR, "y") : Map.of();
        }
    }

    @Test
    void anOpaqueDirectoryHidesTheLowerContentsAndSaysSo() throws Exception {
        assertHidesTheBasesData(Fake.of(TreeEntry.directory("usr", 0755), TreeEntry.directory("usr/data", 0755)
                .withXattrs(Map.of(OverlayTree.OPAQUE_XATTR, "y")), TreeEntry.file("usr/data/new", 0644, 0)));
    }

    @Test
    void theMarkerReportedOnlyByTheReadersXattrsIsHonoured() throws Exception {
        assertHidesTheBasesData(new ReaderMarked(Fake.of(TreeEntry.directory("usr", 0755),
                TreeEntry.directory("usr/data", 0755), TreeEntry.file("usr/data/new", 0644, 0)), "usr/data"));
    }

    /** {@code ext} (its {@code usr/data} opaque, holding {@code new}) over a base whose {@code usr/data} holds old. */
    private static void assertHidesTheBasesData(ImageFileSystem ext) throws Exception {
        Fake base = Fake.of(TreeEntry.directory("usr", 0755), TreeEntry.directory("usr/data", 0755),
                TreeEntry.file("usr/data/old", 0644, 0));
        OverlayTree t = OverlayTree.merge("usr", List.of(new OverlayTree.Layer("base", base),
                new OverlayTree.Layer("o", ext)));
        assertThat(paths(t)).containsExactly("usr", "usr/data", "usr/data/new");
        assertThat(t.changes()).contains(new PathChange("usr/data", "o", PathChange.OPAQUE, List.of("base")));
    }

    @Test
    void withoutTheMarkerTheDirectoriesMerge() throws Exception {
        Fake base = Fake.of(TreeEntry.directory("usr", 0755), TreeEntry.directory("usr/data", 0755),
                TreeEntry.file("usr/data/old", 0644, 0));
        Fake ext = Fake.of(TreeEntry.directory("usr", 0755), TreeEntry.directory("usr/data", 0700),
                TreeEntry.file("usr/data/new", 0644, 0));
        OverlayTree t = OverlayTree.merge("usr", List.of(new OverlayTree.Layer("base", base),
                new OverlayTree.Layer("o", ext)));
        assertThat(paths(t)).containsExactly("usr", "usr/data", "usr/data/new", "usr/data/old");
        assertThat(t.entries().get(1).entry().mode()).isEqualTo(0700);
        assertThat(t.changes()).extracting(PathChange::path).containsExactly("usr/data/new");
    }
}
