package dev.sysextctl.converter.layout;

import static dev.sysextctl.converter.layout.Drafts.apply;
import static dev.sysextctl.converter.layout.Drafts.archive;
import static dev.sysextctl.converter.layout.Drafts.changeKinds;
import static dev.sysextctl.converter.layout.Drafts.draft;
import static dev.sysextctl.converter.layout.Drafts.findingIds;
import static dev.sysextctl.converter.layout.Drafts.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ManifestPlacementStep}: the manifest's entries appear where torcx propagated them, never overwriting. */
class ManifestPlacementStepTest {
    @TempDir
    Path tmp;

    private PlanDraft placed(String manifest, dev.sysextctl.converter.fixtures.TarBuilder t) throws Exception {
        t.dir("./.torcx", 0755).file("./.torcx/manifest.json", 0644, manifest);
        return apply(draft(tmp, "x", t, false), new ReadManifestStep(), new RelocateEntriesStep(),
                new ManifestPlacementStep());
    }

    @Test
    void aBinEntryOutsideBinGetsARelativeLinkInUsrBin() throws Exception {
        PlanDraft d = placed("{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\"/bin/a\",\"/lib/tool/t\"]}}",
                archive().dir("./bin", 0755).file("./bin/a", 0755, "a").dir("./lib", 0755).dir("./lib/tool", 0755)
                        .file("./lib/tool/t", 0755, "t"));
        assertThat(target(d, "usr/bin/t")).isEqualTo("../lib/tool/t");
        assertThat(d.entries().get("usr/bin/t").kind()).isEqualTo(PlannedEntry.Origin.MANIFEST);
        assertThat(d.entries().get("usr/bin/a").kind()).as("already in usr/bin").isEqualTo(PlannedEntry.Origin.ARCHIVE);
        assertThat(changeKinds(d)).containsOnlyOnce(ConversionChange.Kind.MANIFEST_BIN);
    }

    @Test
    void unitsAreCopiedWhereSystemdReadsThem() throws Exception {
        PlanDraft d = placed("{\"kind\":\"image-manifest-v0\",\"value\":{\"units\":[\"/share/units/a.service\"],"
                + "\"tmpfiles\":[\"/share/tmp.conf\"]}}", archive().dir("./share", 0755).dir("./share/units", 0755)
                .file("./share/units/a.service", 0644, "[Service]\n").file("./share/tmp.conf", 0644, "d /x\n"));
        assertThat(d.entries().get("usr/lib/systemd/system/a.service").origin()).isEqualTo("share/units/a.service");
        assertThat(d.entries().get("usr/lib/tmpfiles.d/tmp.conf").entry().type()).isEqualTo(EntryType.FILE);
        assertThat(changeKinds(d)).filteredOn(ConversionChange.Kind.MANIFEST_PLACED::equals).hasSize(2);
    }

    @Test
    void aMissingEntryIsAWarningAndAnOccupiedPlaceIsNotOverwritten() throws Exception {
        PlanDraft d = placed("{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":[\"/bin/none\",\"/lib/a\"]}}",
                archive().dir("./bin", 0755).file("./bin/a", 0755, "a").dir("./lib", 0755).file("./lib/a", 0755, "b"));
        assertThat(findingIds(d)).containsExactlyInAnyOrder(ConversionRules.MANIFEST, ConversionRules.COLLISION);
        assertThat(d.entries().get("usr/bin/a").origin()).isEqualTo("bin/a");
    }

    @Test
    void withoutAManifestNothingIsPlaced() throws Exception {
        PlanDraft d = apply(draft(tmp, "x", archive().dir("./bin", 0755).file("./bin/a", 0755, "a"), false),
                new RelocateEntriesStep());
        int before = d.entries().size();
        new ManifestPlacementStep().apply(d);
        assertThat(d.entries()).hasSize(before);
        assertThat(d.changes()).noneMatch(c -> c.kind().startsWith("manifest"));
    }

    @Test
    void lookupsFollowRelativeDirectoryLinksInsideTheImage() throws Exception {
        PlanDraft d = draft(tmp, "x", archive().dir("./lib", 0755).dir("./lib/real", 0755)
                .file("./lib/real/t", 0755, "t").symlink("./lib/alias", "real").symlink("./lib/abs", "/lib/real"),
                false);
        assertThat(ManifestPlacementStep.resolveInArchive(d.archive(), "lib/alias/t"))
                .hasValueSatisfying(e -> assertThat(e.path()).isEqualTo("lib/real/t"));
        assertThat(ManifestPlacementStep.resolveInArchive(d.archive(), "lib/abs/t")).isEmpty();
    }
}
