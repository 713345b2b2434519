package dev.sysextctl.converter.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code migration.json}: what torcx would have applied on the node, what each image became, the node-side
 * leftovers that break without torcx, and what {@code --enable} did.
 *
 * @param complete every resolved image was converted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigrationReport(String root, String outputDirectory, String osVersionId, Torcx torcx,
        List<MigratedImage> images, List<Leftover> leftovers, Installation installation, boolean complete) {
    public MigrationReport {
        images = List.copyOf(images);
        leftovers = List.copyOf(leftovers);
    }

    /** How torcx resolved the set at boot. */
    public record Torcx(List<String> lowerProfiles, String upperProfile, String upperSource,
            List<dev.sysextctl.converter.profile.ProfileResolution.ProfileSource> profiles,
            List<String> mergedImages, List<String> storePaths, Map<String, String> seal, List<String> warnings,
            List<String> storeNotes) {
    }
}
