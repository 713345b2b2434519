package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.changeKinds;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static dev.sysextctl.converter.layout.Drafts.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HardlinksStep}: hard links follow their target, become copies, or are dropped. */
class HardlinksStepTest {
    @TempDir
    Path tmp;

    @Test
    void hardLinksFollowTheirMovedTargetOrBecomeCopies() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./bin", 0755).file("./bin/a", 0755, "aaa")
                .dir("./usr", 0755).dir("./usr/bin", 0755).hardlink("./usr/bin/a2", "./bin/a")
                .dir("./etc", 0755).file("./etc/c", 0644, "cc").hardlink("./usr/bin/c2", "./etc/c"), false),
                new RelocateEntriesStep(), new HardlinksStep());
        assertThat(d.entries().get("usr/bin/a2").entry().type()).isEqualTo(EntryType.HARDLINK);
        assertThat(target(d, "usr/bin/a2")).isEqualTo("usr/bin/a");
        PlannedEntry copy = d.entries().get("usr/bin/c2");
        assertThat(copy.entry().type()).isEqualTo(EntryType.FILE);
        assertThat(copy.entry().size()).isEqualTo(2);
        assertThat(changeKinds(d)).contains(ConversionChange.Kind.HARDLINK);
    }

    @Test
    void aHardLinkWithoutARegularFileIsDropped() throws Exception {
        PlanDraft d = draft(tmp, "x", archive().dir("./usr", 0755).file("./usr/real", 0644, "r"), false);
        apply(d, new RelocateEntriesStep());
        TreeEntry dangling = new TreeEntry("usr/h", EntryType.HARDLINK, 0644, 0, 0, 0, "usr/none", 0, 0, 0, null);
        d.entries().put("usr/h", new PlannedEntry(dangling, null, "usr/h", PlannedEntry.Origin.ARCHIVE));
        new HardlinksStep().apply(d);
        assertThat(d.entries()).doesNotContainKey("usr/h");
        assertThat(findingIds(d)).containsExactly(ConversionRules.DROPPED);
    }
}
