package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.changeKinds;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RewriteContentsStep}: units and texts lose torcx, follow usr/sbin moves; ELF runpaths are patched. */
class RewriteContentsStepTest {
    @TempDir
    Path tmp;

    private static String text(PlanDraft d, String path) throws Exception {
        EntryContent c = d.entries().get(path).content();
        try (var in = c.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aUnitLosesTorcxAndFollowsTheSbinMove() throws Exception {
        PlanDraft d = apply(draft(tmp, "docker", archive().dir("./usr", 0755).dir("./usr/sbin", 0755)
                .file("./usr/sbin/d", 0755, "d").dir("./usr/lib", 0755).dir("./usr/lib/systemd", 0755)
                .dir("./usr/lib/systemd/system", 0755).file("./usr/lib/systemd/system/d.service", 0644,
                        "[Service]\nExecStart=/run/torcx/bin/dockerd\nExecStartPost=/usr/sbin/d\n"), false),
                new RelocateEntriesStep(), new RewriteContentsStep());
        assertThat(text(d, "usr/lib/systemd/system/d.service"))
                .isEqualTo("[Service]\nExecStart=/usr/bin/dockerd\nExecStartPost=/usr/bin/d\n");
        assertThat(changeKinds(d)).contains(ConversionChange.Kind.UNIT_REWRITTEN);
    }

    @Test
    void anElfRunpathIntoTorcxIsPatchedAndItsArchitectureCounted() throws Exception {
        PlanDraft d = apply(draft(tmp, "docker", archive().dir("./bin", 0755)
                .file("./bin/e", 0755, dev.sysextctl.converter.fixtures.ElfStub.e1c()), false),
                new RelocateEntriesStep(), new RewriteContentsStep());
        assertThat(d.architectures()).containsEntry("x86-64", 1);
        assertThat(d.changes()).anySatisfy(c -> {
            assertThat(c.kind()).isEqualTo(ConversionChange.Kind.RUNPATH);
            assertThat(c.detail()).contains("/run/torcx/unpack/docker/lib -> /usr/lib");
        });
    }

    @Test
    void textWithoutTorcxAndBinariesAreLeftAlone() throws Exception {
        assertThat(RewriteContentsStep.decodeText(new byte[] {'a', 0, 'b'})).isNull();
        assertThat(RewriteContentsStep.decodeText(new byte[] {(byte) 0xff})).isNull();
        PlanDraft d = apply(draft(tmp, "docker", archive().dir("./usr", 0755).file("./usr/readme", 0644,
                "nothing to see\n"), false), new RelocateEntriesStep(), new RewriteContentsStep());
        assertThat(d.changes()).isEmpty();
    }
}
