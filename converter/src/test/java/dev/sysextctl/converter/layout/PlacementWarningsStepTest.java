package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PlacementWarningsStep}: sysusers.d entries and opt/ content are carried over with a warning each. */
class PlacementWarningsStepTest {
    @TempDir
    Path tmp;

    @Test
    void sysusersAndOptContentAreWarnedAbout() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./usr", 0755).dir("./usr/lib", 0755)
                .dir("./usr/lib/sysusers.d", 0755).file("./usr/lib/sysusers.d/a.conf", 0644, "u a\n")
                .file("./usr/lib/sysusers.d/b.conf", 0644, "u b\n").dir("./opt", 0755).file("./opt/o", 0644, "o"),
                false), new RelocateEntriesStep(), new PlacementWarningsStep());
        assertThat(findingIds(d)).containsExactly(ConversionRules.SYSUSERS, ConversionRules.SYSUSERS,
                ConversionRules.OPT);
    }

    @Test
    void plainUsrContentIsNot() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./usr", 0755).dir("./usr/lib", 0755)
                .dir("./usr/lib/sysusers.d", 0755).dir("./opt", 0755).file("./usr/x", 0644, "x"), false),
                new RelocateEntriesStep(), new PlacementWarningsStep());
        assertThat(d.findings()).isEmpty();
    }
}
