package dev.sysextctl.merger.lab;

import java.util.List;
import java.util.Map;

/**
 * What a merge left, read inside its mount namespace: the exit code and output of the merge, per hierarchy the
 * overlay's layers and the markers, the content at probed paths, and after the unmerge the mounts left under
 * the root and the tree.
 */
public record Snapshot(int rc, String output, Map<String, Hierarchy> hierarchies, Map<String, String> files,
        int unmergeRc, String unmergeOutput, List<String> mountsAfter, List<String> treeAfter, String extra,
        String transcript) {

    /** One hierarchy after the merge. */
    public record Hierarchy(String hierarchy, boolean mounted, List<String> lowerDirs, String options,
            String extensions, String dev, String stDev, int stackedMounts) {
    }

    public Hierarchy h(String hierarchy) {
        return hierarchies.get(hierarchy);
    }

    public List<String> mergedHierarchies() {
        return hierarchies.values().stream().filter(Hierarchy::mounted).map(Hierarchy::hierarchy).sorted().toList();
    }

    /** The extensions marker of /usr as a list (empty when /usr is not merged). */
    public List<String> usrExtensions() {
        Hierarchy u = hierarchies.get("/usr");
        return u == null || !u.mounted() || u.extensions() == null ? List.of()
                : List.of(u.extensions().split("\n")).stream().filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return transcript;
    }
}
