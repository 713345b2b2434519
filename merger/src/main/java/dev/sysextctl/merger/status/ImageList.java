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

    /**
     * The lists of one node's classes as one ({@code list --class all}): search directories, images and other entries
     * one class after the other, in the order given; each image carries its class.
     */
    public static ImageList combine(List<ImageList> lists) {
        if (lists.size() == 1) {
            return lists.get(0);
        }
        List<String> dirs = new java.util.ArrayList<>();
        List<ListedImage> rows = new java.util.ArrayList<>();
        List<IgnoredEntry> ignored = new java.util.ArrayList<>();
        for (ImageList l : lists) {
            dirs.addAll(l.searchDirs());
            rows.addAll(l.images());
            ignored.addAll(l.ignoredEntries());
        }
        ImageList first = lists.get(0);
        return new ImageList(first.root(), first.systemdVersion(), dirs, rows, ignored, first.readBy());
    }
}
