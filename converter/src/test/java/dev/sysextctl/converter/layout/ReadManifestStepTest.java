package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ReadManifestStep}: the manifest lands in the draft with a report line; its absence or kind is a warning. */
class ReadManifestStepTest {
    @TempDir
    Path tmp;

    @Test
    void aManifestIsReadAndCounted() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./.torcx", 0755).file("./.torcx/manifest.json", 0644,
                "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\"/bin/a\",\"/bin/b\"],"
                        + "\"units\":[\"/lib/systemd/system/a.service\"]}}"), false), new ReadManifestStep());
        assertThat(d.manifest()).hasValueSatisfying(m -> assertThat(m.bin()).containsExactly("/bin/a", "/bin/b"));
        assertThat(d.changes()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(ConversionChange.Kind.MANIFEST_READ);
            assertThat(c.detail()).startsWith("manifest read: 2 bin, 1 units, 0 network");
        });
        assertThat(d.findings()).isEmpty();
    }

    @Test
    void noManifestIsAWarningAndLeavesTheDraftWithoutOne() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().file("./bin/a", 0755, "a"), false), new ReadManifestStep());
        assertThat(d.manifest()).isEmpty();
        assertThat(findingIds(d)).containsExactly(ConversionRules.NO_MANIFEST);
        assertThat(d.changes()).isEmpty();
    }

    @Test
    void anotherKindIsReadWithAWarning() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./.torcx", 0755).file("./.torcx/manifest.json", 0644,
                "{\"kind\":\"image-manifest-v9\",\"value\":{\"bin\":[\"/bin/a\"]}}"), false), new ReadManifestStep());
        assertThat(d.manifest()).isPresent();
        assertThat(findingIds(d)).containsExactly(ConversionRules.MANIFEST);
    }
}
