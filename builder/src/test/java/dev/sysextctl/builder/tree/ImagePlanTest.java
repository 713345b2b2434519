package dev.sysextctl.builder.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.MemorySource;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImagePlanTest {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any"));
    static final String RELEASE_PATH = "usr/lib/extension-release.d/extension-release.x";

    record Written(TreeEntry entry, String content) {
    }

    private static ImagePlan plan(Findings f, boolean keep, ImageSource... sources) throws Exception {
        return ImagePlan.of(LayeredTree.scan(List.of(sources), f), "x", RELEASE, 77, keep);
    }

    private static List<Written> write(ImagePlan plan, ImageSource... sources) throws Exception {
        List<Written> out = new ArrayList<>();
        plan.write(List.of(sources), (e, in) -> out.add(new Written(e, in == null ? null
                : new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        return out;
    }

    private static Map<String, TreeEntry> byPath(ImagePlan plan) {
        Map<String, TreeEntry> m = new LinkedHashMap<>();
        plan.entries().forEach(e -> m.put(e.path(), e));
        return m;
    }

    @Test
    void aLaterSourceWinsAndDirectoriesMerge() throws Exception {
        MemorySource a = new MemorySource("a").dir("usr", 0700).file("usr/bin/tool", "old").file("usr/lib/a", "a");
        MemorySource b = new MemorySource("b").dir("usr", 0755).file("usr/bin/tool", "new").file("usr/lib/b", "b");
        Findings f = new Findings();
        ImagePlan plan = plan(f, false, a, b);
        Map<String, TreeEntry> m = byPath(plan);
        assertThat(m.keySet()).containsExactly("usr", "usr/bin", "usr/bin/tool", "usr/lib", "usr/lib/a", "usr/lib/b",
                "usr/lib/extension-release.d", RELEASE_PATH);
        assertThat(m.get("usr").mode()).isEqualTo(0755);
        List<Written> w = write(plan, a, b);
        assertThat(w).filteredOn(x -> x.entry().path().equals("usr/bin/tool")).singleElement()
                .extracting(Written::content).isEqualTo("new");
        assertThat(f.isEmpty()).isTrue();
    }

    @Test
    void aFileReplacesADirectoryWithItsSubtreeAndADirectoryReplacesAFile() throws Exception {
        MemorySource a = new MemorySource("a").file("usr/share/doc/x/readme", "r").file("usr/bin/y", "y");
        MemorySource b = new MemorySource("b").file("usr/share/doc", "now a file").file("usr/bin/y/inner", "i");
        ImagePlan plan = plan(new Findings(), false, a, b);
        Map<String, TreeEntry> m = byPath(plan);
        assertThat(m).doesNotContainKeys("usr/share/doc/x", "usr/share/doc/x/readme");
        assertThat(m.get("usr/share/doc").type()).isEqualTo(EntryType.FILE);
        assertThat(m.get("usr/bin/y").type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(m.get("usr/bin/y/inner").type()).isEqualTo(EntryType.FILE);
    }

    @Test
    void anEntryBelowASymlinkOfTheSameSourceIsUnsafe() throws Exception {
        MemorySource a = new MemorySource("a").symlink("usr/share", "/etc").file("usr/share/passwd", "p");
        Findings f = new Findings();
        ImagePlan plan = plan(f, false, a);
        assertThat(f.asList()).extracting(Finding::id, Finding::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("unsafe-path", "usr/share/passwd"));
        assertThat(byPath(plan)).doesNotContainKey("usr/share/passwd");
        assertThat(byPath(plan).get("usr/share").type()).isEqualTo(EntryType.SYMLINK);
    }

    @Test
    void etcIsDroppedParentsAreImpliedAndEverythingIsRootsAtTheEpoch() throws Exception {
        MemorySource a = new MemorySource("a")
                .add(new TreeEntry("usr/bin/tool", EntryType.FILE, 04755, 1000, 1000, 1, null, 0, 0, 12345, null), "t")
                .file("etc/conf", "c").dir("etc", 0755);
        ImagePlan plan = plan(new Findings(), false, a);
        Map<String, TreeEntry> m = byPath(plan);
        assertThat(m).doesNotContainKeys("etc", "etc/conf");
        assertThat(plan.etcEntries()).extracting(TreeEntry::path).containsExactlyInAnyOrder("etc", "etc/conf");
        assertThat(m.get("usr/bin")).extracting(TreeEntry::type, TreeEntry::mode, TreeEntry::uid)
                .containsExactly(EntryType.DIRECTORY, 0755, 0);
        assertThat(m.get("usr/bin/tool")).extracting(TreeEntry::mode, TreeEntry::uid, TreeEntry::gid,
                TreeEntry::mtime).containsExactly(04755, 0, 0, 77L);
        assertThat(plan.entries()).allMatch(e -> e.mtime() == 77);
        assertThat(plan.lintEntries()).extracting(TreeEntry::path).contains("etc/conf");
        assertThat(byPath(plan(new Findings(), true, a)).get("usr/bin/tool").uid()).isEqualTo(1000);
    }

    @Test
    void theReleaseIsWrittenLastAndReplacesTheSourcesOwn() throws Exception {
        MemorySource a = new MemorySource("a").file("usr/bin/t", "t").file(RELEASE_PATH, "ID=fedora\n");
        Findings f = new Findings();
        ImagePlan plan = plan(f, false, a);
        List<Written> w = write(plan, a);
        assertThat(w.get(w.size() - 1)).extracting(x -> x.entry().path(), Written::content)
                .containsExactly(RELEASE_PATH, "ID=_any\n");
        assertThat(w).filteredOn(x -> x.entry().path().equals(RELEASE_PATH)).hasSize(1);
        assertThat(f.asList()).extracting(Finding::id).containsExactly(RuleId.RELEASE_REPLACED.id());
        assertThat(byPath(plan).get(RELEASE_PATH)).extracting(TreeEntry::mode, TreeEntry::size)
                .containsExactly(0644, 8L);
    }

    @Test
    void directoriesComeFirstParentsBeforeChildrenAndHardLinksAfterTheirTarget() throws Exception {
        MemorySource a = new MemorySource("a").file("usr/z/file", "f").hardlink("usr/a/link", "usr/z/file")
                .dir("usr/a", 0755).symlink("opt/s", "x");
        List<Written> w = write(plan(new Findings(), false, a), a);
        List<String> order = w.stream().map(x -> x.entry().path()).toList();
        int lastDir = 0;
        for (int i = 0; i < w.size(); i++) {
            if (w.get(i).entry().type() == EntryType.DIRECTORY) {
                lastDir = i;
            }
        }
        assertThat(w.subList(0, lastDir + 1)).allMatch(x -> x.entry().type() == EntryType.DIRECTORY);
        assertThat(order.subList(0, lastDir + 1)).isSorted();
        assertThat(order.indexOf("usr/z/file")).isLessThan(order.indexOf("usr/a/link"));
        assertThat(w.get(order.indexOf("usr/a/link")).entry()).extracting(TreeEntry::type, TreeEntry::linkTarget)
                .containsExactly(EntryType.HARDLINK, "usr/z/file");
    }

    @Test
    void aHardLinkWhoseTargetALaterSourceReplacedKeepsTheOldContent() throws Exception {
        MemorySource a = new MemorySource("a").file("usr/bin/tool", "old").hardlink("usr/bin/alias", "usr/bin/tool")
                .hardlink("usr/bin/alias2", "usr/bin/alias");
        MemorySource b = new MemorySource("b").file("usr/bin/tool", "new");
        ImagePlan plan = plan(new Findings(), false, a, b);
        Map<String, TreeEntry> m = byPath(plan);
        assertThat(m.get("usr/bin/alias").type()).isEqualTo(EntryType.FILE);
        assertThat(m.get("usr/bin/alias2")).extracting(TreeEntry::type, TreeEntry::linkTarget)
                .containsExactly(EntryType.HARDLINK, "usr/bin/alias");
        Map<String, String> content = new LinkedHashMap<>();
        for (Written x : write(plan, a, b)) {
            content.put(x.entry().path(), x.content());
        }
        assertThat(content).containsEntry("usr/bin/alias", "old").containsEntry("usr/bin/tool", "new");
        assertThat(new ArrayList<>(content.keySet())).containsSubsequence("usr/bin/alias", "usr/bin/alias2");
    }

    @Test
    void aHardLinkToAnEtcFileBecomesAFileAndOneToASymlinkACopy() throws Exception {
        MemorySource a = new MemorySource("a").file("etc/real", "r").hardlink("usr/lib/r", "etc/real")
                .symlink("usr/lib/s", "target").hardlink("usr/lib/s2", "usr/lib/s");
        ImagePlan plan = plan(new Findings(), false, a);
        Map<String, TreeEntry> m = byPath(plan);
        assertThat(m.get("usr/lib/r").type()).isEqualTo(EntryType.FILE);
        assertThat(m.get("usr/lib/s2")).extracting(TreeEntry::type, TreeEntry::linkTarget)
                .containsExactly(EntryType.SYMLINK, "target");
        assertThat(write(plan, a)).filteredOn(x -> x.entry().path().equals("usr/lib/r")).singleElement()
                .extracting(Written::content).isEqualTo("r");
    }

    @Test
    void aHardLinkToNothingIsAnError() throws Exception {
        Findings f = new Findings();
        plan(f, false, new MemorySource("a").hardlink("usr/lib/x", "usr/lib/missing"));
        assertThat(f.asList()).extracting(Finding::id).containsExactly(RuleId.BROKEN_HARDLINK.id());
        assertThat(f.hasErrors()).isTrue();
    }

    @Test
    void aSourceThatChangesBetweenThePassesIsDetected() throws Exception {
        MemorySource a = new MemorySource("a").file("usr/bin/t", "short");
        a.onSecondScan(() -> a.replace(0, TreeEntry.file("usr/bin/t", 0644, 9), "longer..."));
        ImagePlan plan = plan(new Findings(), false, a);
        assertThatThrownBy(() -> write(plan, a)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("changed while the image was being built");
    }

    @Test
    void hierarchiesAreTheNonEmptyOnes() throws Exception {
        assertThat(plan(new Findings(), false, new MemorySource("a").file("usr/bin/t", "t").dir("opt", 0755))
                .hierarchies()).containsExactly("usr");
        assertThat(plan(new Findings(), false, new MemorySource("a").file("opt/x/t", "t")).hierarchies())
                .containsExactly("usr", "opt");
    }
}
