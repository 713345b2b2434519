package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.changeKinds;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static dev.sysextctl.converter.layout.Drafts.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UpholdsDropInsStep}: .wants/ links become Upholds= drop-ins; torcx.target's stay with a warning. */
class UpholdsDropInsStepTest {
    @TempDir
    Path tmp;

    @Test
    void wantsLinksBecomeDropIns() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./lib", 0755).dir("./lib/systemd", 0755)
                .dir("./lib/systemd/system", 0755).file("./lib/systemd/system/d.service", 0644, "[Service]\n")
                .dir("./lib/systemd/system/multi-user.target.wants", 0755)
                .symlink("./lib/systemd/system/multi-user.target.wants/d.service", "../d.service"), false),
                new RelocateEntriesStep(), new UpholdsDropInsStep());
        String dropIn = "usr/lib/systemd/system/multi-user.target.d/10-d-service.conf";
        assertThat(d.entries()).containsKey(dropIn)
                .doesNotContainKeys("usr/lib/systemd/system/multi-user.target.wants",
                        "usr/lib/systemd/system/multi-user.target.wants/d.service");
        assertThat(new String(((EntryContent.Bytes) d.entries().get(dropIn).content()).bytes(),
                StandardCharsets.UTF_8)).isEqualTo("[Unit]\nUpholds=d.service\n");
        assertThat(d.entries().get(dropIn).entry().mtime()).isEqualTo(Drafts.MTIME);
        assertThat(changeKinds(d)).containsOnlyOnce(ConversionChange.Kind.UPHOLDS)
                .doesNotContain(ConversionChange.Kind.SYMLINK);
    }

    @Test
    void torcxTargetLinksAreKeptWithAWarning() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./usr", 0755).dir("./usr/lib", 0755)
                .dir("./usr/lib/systemd", 0755).dir("./usr/lib/systemd/system", 0755)
                .dir("./usr/lib/systemd/system/torcx.target.wants", 0755)
                .symlink("./usr/lib/systemd/system/torcx.target.wants/d.service", "../d.service"), false),
                new RelocateEntriesStep(), new UpholdsDropInsStep());
        assertThat(d.entries()).containsKey("usr/lib/systemd/system/torcx.target.wants/d.service");
        assertThat(findingIds(d)).containsExactly(ConversionRules.REFERENCE);
    }
}
