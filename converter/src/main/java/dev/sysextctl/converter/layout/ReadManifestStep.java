package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.StagedEntry;
import dev.sysextctl.converter.manifest.ImageManifest;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tree.EntryType;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads {@code .torcx/manifest.json} into the draft (a warning when it is missing or of another kind), and reports
 * what it lists. Later steps place the manifest's entries.
 */
final class ReadManifestStep implements PlanStep {
    @Override
    public void apply(PlanDraft d) throws IOException, SysextctlException {
        Optional<StagedEntry> m = d.archive().get(ImageManifest.PATH);
        if (m.isEmpty() || m.get().type() != EntryType.FILE) {
            d.warn(ConversionRules.NO_MANIFEST, ImageManifest.PATH,
                    "the archive has no " + ImageManifest.PATH + ": torcx propagated nothing from it; bin/ and lib/ "
                            + "are moved under usr/ by convention and units under lib/systemd/system become visible "
                            + "to systemd", "check the converted units; add a manifest if some should stay inactive");
            return;
        }
        ImageManifest manifest = ImageManifest.parse(d.archive().read(m.get()),
                d.archive().archive().getFileName().toString());
        d.manifest(manifest);
        String kindWarning = manifest.kindWarning();
        if (kindWarning != null) {
            d.warn(ConversionRules.MANIFEST, ImageManifest.PATH, kindWarning, "set \"kind\": \"image-manifest-v0\"");
        }
        d.change(ConversionChange.Kind.MANIFEST_READ, ImageManifest.PATH,
                "manifest read: " + manifest.bin().size() + " bin, " + manifest.units().size() + " units, "
                        + manifest.network().size() + " network, " + manifest.tmpfiles().size() + " tmpfiles, "
                        + manifest.sysusers().size() + " sysusers, " + manifest.udevRules().size()
                        + " udev_rules entries; .torcx/ is not carried over");
    }
}
