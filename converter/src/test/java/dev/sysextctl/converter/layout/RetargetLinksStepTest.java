package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.changeKinds;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.target;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RetargetLinksStep}: links point where their targets went, relative inside /usr and /opt. */
class RetargetLinksStepTest {
    @TempDir
    Path tmp;

    private PlanDraft retargeted(dev.sysextctl.converter.fixtures.TarBuilder t, boolean keepSbin) throws Exception {
        return apply(draft(tmp, "docker", t, keepSbin), new RelocateEntriesStep(), new RetargetLinksStep());
    }

    @Test
    void absoluteLinksIntoUsrAndTorcxBecomeRelative() throws Exception {
        PlanDraft d = retargeted(archive().dir("./usr", 0755).dir("./usr/lib", 0755).file("./usr/lib/x", 0644, "x")
                .dir("./usr/bin", 0755).symlink("./usr/bin/a", "/usr/lib/x")
                .symlink("./usr/bin/b", "/run/torcx/unpack/docker/lib/x").symlink("./usr/bin/c", "/lib/x")
                .symlink("./usr/bin/e", "/etc/elsewhere"), false);
        assertThat(target(d, "usr/bin/a")).isEqualTo("../lib/x");
        assertThat(target(d, "usr/bin/b")).isEqualTo("../lib/x");
        assertThat(target(d, "usr/bin/c")).as("a merged-usr alias").isEqualTo("../lib/x");
        assertThat(target(d, "usr/bin/e")).as("outside the hierarchies").isEqualTo("/etc/elsewhere");
        assertThat(changeKinds(d)).filteredOn(ConversionChange.Kind.SYMLINK::equals).hasSize(3);
    }

    @Test
    void aLinkToAMovedSbinFileFollowsIt() throws Exception {
        var t = archive().dir("./usr", 0755).dir("./usr/sbin", 0755).file("./usr/sbin/d", 0755, "d")
                .dir("./usr/bin", 0755).symlink("./usr/bin/dd", "/usr/sbin/d");
        assertThat(target(retargeted(t, false), "usr/bin/dd")).isEqualTo("d");
        tmp = tmp.resolve("kept");
        assertThat(target(retargeted(t, true), "usr/bin/dd")).isEqualTo("../sbin/d");
    }

    @Test
    void aRelativeLinkBrokenByTheMoveIsRecomputed() throws Exception {
        PlanDraft d = retargeted(archive().dir("./bin", 0755).file("./bin/b", 0755, "b").dir("./usr", 0755)
                .dir("./usr/bin", 0755).symlink("./usr/bin/a", "../../bin/b").symlink("./usr/bin/gone", "../../srv/x")
                .dir("./srv", 0755).file("./srv/x", 0644, "x"), false);
        assertThat(target(d, "usr/bin/a")).isEqualTo("b");
        assertThat(target(d, "usr/bin/gone")).isEqualTo("../../srv/x");
        assertThat(d.findings()).anySatisfy(f -> {
            assertThat(f.id()).isEqualTo(ConversionRules.DROPPED);
            assertThat(f.path()).isEqualTo("usr/bin/gone");
        });
    }
}
