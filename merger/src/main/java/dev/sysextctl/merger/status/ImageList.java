package dev.sysextctl.merger.status;

import dev.sysextctl.merger.discovery.IgnoredEntry;
import java.util.List;

/**
 * {@code list}: every image in the search directories (discovery order, highest priority first), the entries
 * that are not images, and how the images were read ({@code readBy}): {@code mount} as root (erofs and
 * file-system images mounted; directories and the squashfs images the kernel mounts read in userspace, which
 * tells the same), {@code userspace} without root (erofs and file-system images not read).
 */
public record ImageList(String root, int systemdVersion, List<String> searchDirs, List<ListedImage> images,
        List<IgnoredEntry> ignoredEntries, String readBy) {
    public ImageList {
        searchDirs = List.copyOf(searchDirs);
        images = List.copyOf(images);
        ignoredEntries = List.copyOf(ignoredEntries);
    }
}
