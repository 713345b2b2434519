package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ParentDirectoriesStep}: every planned entry gets its parents; a file in a parent's place gives way. */
class ParentDirectoriesStepTest {
    @TempDir
    Path tmp;

    @Test
    void missingParentsAreAddedAsGeneratedDirectories() throws Exception {
        PlanDraft d = draft(tmp, "x", archive().file("./usr/lib/deep/f", 0644, "f"), false);
        apply(d, new RelocateEntriesStep());
        assertThat(d.entries()).containsOnlyKeys("usr/lib/deep/f");
        new ParentDirectoriesStep().apply(d);
        assertThat(d.entries()).containsOnlyKeys("usr", "usr/lib", "usr/lib/deep", "usr/lib/deep/f");
        PlannedEntry parent = d.entries().get("usr/lib/deep");
        assertThat(parent.kind()).isEqualTo(PlannedEntry.Origin.GENERATED);
        assertThat(parent.entry().mode()).isEqualTo(0755);
        assertThat(parent.entry().mtime()).isEqualTo(Drafts.MTIME);
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void aFileWhereAParentMustBeIsReplacedWithACollision() throws Exception {
        PlanDraft d = draft(tmp, "x", archive().file("./usr/share/thing", 0644, "a file").file("./usr/share/thing/f",
                0644, "f"), false);
        apply(d, new RelocateEntriesStep(), new ParentDirectoriesStep());
        assertThat(d.entries().get("usr/share/thing").entry().type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(d.placedFrom()).doesNotContainValue("usr/share/thing");
        assertThat(findingIds(d)).containsExactly(ConversionRules.COLLISION);
    }
}
