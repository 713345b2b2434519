package dev.sysextctl.merger.status;

import dev.sysextctl.merger.discovery.IgnoredEntry;
import java.util.List;

/**
 * {@code list}: every image in the search directories (discovery order, highest priority first), the entries
 * that are not images, and whether the images were read by mounting ({@code readBy}: {@code mount} or
 * {@code userspace}).
 */
public record ImageList(String root, int systemdVersion, List<String> searchDirs, List<ListedImage> images,
        List<IgnoredEntry> ignoredEntries, String readBy) {
    public ImageList {
        searchDirs = List.copyOf(searchDirs);
        images = List.copyOf(images);
        ignoredEntries = List.copyOf(ignoredEntries);
    }
}
