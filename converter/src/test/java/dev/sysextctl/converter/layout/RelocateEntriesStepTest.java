package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.changeKinds;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RelocateEntriesStep}: where each archive entry lands, which one wins a collision, what is dropped. */
class RelocateEntriesStepTest {
    @TempDir
    Path tmp;

    @Test
    void topLevelDirectoriesMoveUnderUsrAndTheRestIsDropped() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./bin", 0755).file("./bin/a", 0755, "a")
                .dir("./lib", 0755).file("./lib/l.so", 0644, "l").dir("./etc", 0755).file("./etc/conf", 0644, "c")
                .dir("./srv", 0755).file("./srv/s", 0644, "s").dir("./.torcx", 0755), false),
                new RelocateEntriesStep());
        assertThat(d.entries()).containsKeys("usr/bin", "usr/bin/a", "usr/lib", "usr/lib/l.so")
                .doesNotContainKeys("bin/a", "etc", "etc/conf", "srv/s", ".torcx");
        assertThat(d.placedFrom()).containsEntry("bin/a", "usr/bin/a");
        assertThat(d.entries().get("usr/bin/a").origin()).isEqualTo("bin/a");
        assertThat(findingIds(d)).containsExactlyInAnyOrder("etc-content", ConversionRules.DROPPED);
        assertThat(changeKinds(d)).contains(ConversionChange.Kind.RELOCATED, ConversionChange.Kind.DROPPED);
    }

    @Test
    void anEntryAlreadyUnderUsrWinsACollision() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./bin", 0755).file("./bin/a", 0755, "from bin")
                .dir("./usr", 0755).dir("./usr/bin", 0755).file("./usr/bin/a", 0755, "from usr"), false),
                new RelocateEntriesStep());
        assertThat(d.entries().get("usr/bin/a").origin()).isEqualTo("usr/bin/a");
        assertThat(d.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(ConversionRules.COLLISION);
            assertThat(f.message()).contains("usr/bin/a is kept, bin/a (file) is dropped");
        });
    }

    @Test
    void usrSbinMovesIntoUsrBinUnlessKept() throws Exception {
        PlanDraft moved = apply(draft(tmp.resolve("a"), "x", archive().dir("./usr", 0755).dir("./usr/sbin", 0755)
                .file("./usr/sbin/d", 0755, "d"), false), new RelocateEntriesStep());
        assertThat(moved.entries()).containsKey("usr/bin/d").doesNotContainKey("usr/sbin/d");
        assertThat(moved.sbinMoves()).containsExactly(java.util.Map.entry("usr/sbin/d", "usr/bin/d"));
        assertThat(changeKinds(moved)).contains(ConversionChange.Kind.SBIN_MOVED);

        PlanDraft kept = apply(draft(tmp.resolve("b"), "x", archive().dir("./usr", 0755).dir("./usr/sbin", 0755)
                .file("./usr/sbin/d", 0755, "d"), true), new RelocateEntriesStep());
        assertThat(kept.entries()).containsKey("usr/sbin/d").doesNotContainKey("usr/bin/d");
        assertThat(kept.sbinMoves()).isEmpty();
    }

    @Test
    void aFileThatWouldHideANodeDirectoryAndTopLevelAliasesAreDropped() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./usr", 0755).file("./usr/lib", 0644, "not a dir")
                .symlink("./lib64", "lib").dir("./lib", 0755).file("./lib/x", 0644, "x"), false),
                new RelocateEntriesStep());
        assertThat(d.entries()).doesNotContainKey("usr/lib64").containsKey("usr/lib/x");
        assertThat(d.entries().get("usr/lib").entry().type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(findingIds(d)).containsExactly(ConversionRules.SHADOWING);
        assertThat(changeKinds(d)).contains(ConversionChange.Kind.ALIAS_DROPPED);
    }
}
