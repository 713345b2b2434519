package dev.sysextctl.merger.explain;

import dev.sysextctl.core.image.ddi.DdiSummary;
import dev.sysextctl.merger.discovery.IgnoredEntry;
import dev.sysextctl.merger.status.ListedImage;
import java.util.List;
import java.util.Map;

/**
 * {@code explain NAME}: why NAME is or is not merged.
 *
 * @param state {@code merged}, {@code will-merge} (usable, not merged yet), {@code merged-stale} (merged, but the
 *     next merge would leave it out), {@code not-merged}, or {@code absent}
 * @param summary one sentence saying so, with the reason
 * @param entries every entry named NAME, highest priority first (the first is the one used)
 * @param ignoredEntries entries named NAME that are not images ({@code /dev/null} links, …)
 * @param releaseFile the extension-release file used, inside the image
 * @param release its fields
 * @param hierarchies the hierarchies it has content in
 * @param above extensions layered above it (they win conflicts), nearest first
 * @param below extensions below it (it wins), nearest first
 * @param overrides paths where it hides the base OS or a lower extension
 * @param overriddenBy paths where a higher extension hides it
 * @param overridesNote why overrides were not computed, if they were not
 * @param ddi what the image used is made of when it is a DDI (its partitions, verity, signature); null otherwise
 */
public record Explanation(String name, String state, String summary, boolean merged, List<ListedImage> entries,
        List<IgnoredEntry> ignoredEntries, String releaseFile, Map<String, String> release, List<String> hierarchies,
        List<String> above, List<String> below, List<FileOverride> overrides, List<FileOverride> overriddenBy,
        String overridesNote, List<String> similarNames, DdiSummary ddi) {
    public Explanation {
        entries = List.copyOf(entries);
        ignoredEntries = List.copyOf(ignoredEntries);
        release = release == null ? Map.of() : Map.copyOf(release);
        hierarchies = List.copyOf(hierarchies);
        above = List.copyOf(above);
        below = List.copyOf(below);
        overrides = List.copyOf(overrides);
        overriddenBy = List.copyOf(overriddenBy);
        similarNames = List.copyOf(similarNames);
    }
}
