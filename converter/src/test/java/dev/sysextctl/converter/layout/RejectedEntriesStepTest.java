package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RejectedEntriesStep}: every entry the stager refused is an {@code unsafe-path} finding, nothing else. */
class RejectedEntriesStepTest {
    @TempDir
    Path tmp;

    @Test
    void eachRefusedEntryIsAnUnsafePathFinding() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().file("./../escape", 0644, "x").file("./usr/ok", 0644, "y")
                .symlink("./usr/out", "../../../etc/passwd"), false), new RejectedEntriesStep());
        assertThat(findingIds(d)).containsOnly("unsafe-path").hasSize(2);
        assertThat(d.findings()).anySatisfy(f -> assertThat(f.path()).contains("escape"));
        assertThat(d.entries()).isEmpty();
        assertThat(d.changes()).isEmpty();
    }
}
