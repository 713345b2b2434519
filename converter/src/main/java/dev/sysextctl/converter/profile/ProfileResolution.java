package dev.sysextctl.converter.profile;

import java.util.List;
import java.util.Map;

/**
 * What torcx would have applied at boot on this node, and how that was decided.
 *
 * @param versionId {@code VERSION_ID} of the node's {@code /usr/lib/os-release} (versioned stores), or null
 * @param lowerProfiles the lower profiles in use (vendor or its docker-1.12 variant, OEM), in order
 * @param upperProfile the upper profile (from {@code next-profile} or {@code --profile}), or null
 * @param upperSource where the upper profile came from ({@code /etc/torcx/next-profile}, {@code --profile})
 * @param profiles every profile that was merged, in merge order, with its images as written
 * @param merged the merged image list
 * @param storePaths the store directories in search order (node paths; {@code --store} ones last)
 * @param images the merged images with their archives
 * @param seal what torcx's seal file {@code /run/metadata/torcx} would have said
 * @param warnings what torcx would have logged (missing next profile, unknown docker flag, ...)
 * @param storeNotes what the store scan skipped or preferred
 */
public record ProfileResolution(String versionId, List<String> lowerProfiles, String upperProfile,
        String upperSource, List<ProfileSource> profiles, List<ProfileImage> merged, List<String> storePaths,
        List<ResolvedImage> images, Map<String, String> seal, List<String> warnings, List<String> storeNotes) {
    public ProfileResolution {
        lowerProfiles = List.copyOf(lowerProfiles);
        profiles = List.copyOf(profiles);
        merged = List.copyOf(merged);
        storePaths = List.copyOf(storePaths);
        images = List.copyOf(images);
        seal = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(seal));
        warnings = List.copyOf(warnings);
        storeNotes = List.copyOf(storeNotes);
    }

    /** One merged profile: name, file, images. */
    public record ProfileSource(String name, String path, List<ProfileImage> images) {
        public ProfileSource {
            images = List.copyOf(images);
        }
    }
}
