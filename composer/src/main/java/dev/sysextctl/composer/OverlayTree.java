package dev.sysextctl.composer;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A hierarchy as a read-only overlay of layers shows it (the lower directories of systemd-sysext's overlayfs mount,
 * without an upper one, so without whiteouts): looking a path up goes from the top layer down; a directory merges
 * with the directories below it until a layer holds a non-directory there or the directory is opaque
 * ({@code trusted.overlay.opaque=y}); a file, symlink or special file hides whatever lower layers hold at that
 * path, a whole lower directory included. The merged directory has the attributes of its topmost layer. The
 * hierarchy itself is systemd-sysext's top layer (its marker directory): {@code 0755}, root's, created where the
 * base has none.
 */
final class OverlayTree {
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String BASE = "base";

    /** One layer: its name and its tree. */
    record Layer(String name, ImageFileSystem fs) {
    }

    /** An entry of the merged tree and the layer (index, bottom first) that provides it. */
    record Merged(TreeEntry entry, int layer) {
    }

    private final List<Layer> layers;
    private final List<Merged> entries = new ArrayList<>();
    private final List<PathChange> changes = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    /** Directories an extension added: what lies in them is that extension's too, and not reported one by one. */
    private final Set<String> addedDirectories = new HashSet<>();

    private OverlayTree(List<Layer> layers) {
        this.layers = layers;
    }

    /**
     * Merges {@code hierarchy} ({@code usr}) of {@code layers} (bottom first, the base at 0). Only the layers in
     * which the hierarchy is a directory take part, as in systemd-sysext.
     */
    static OverlayTree merge(String hierarchy, List<Layer> layers) throws OperationFailedException {
        OverlayTree t = new OverlayTree(layers);
        List<Integer> stack = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            Optional<TreeEntry> top = layers.get(i).fs().lstat(hierarchy);
            if (top.isPresent() && top.get().type() == EntryType.DIRECTORY) {
                stack.add(i);
            }
        }
        if (!stack.isEmpty()) {
            t.entries.add(new Merged(TreeEntry.directory(hierarchy, 0755), stack.get(0)));
            t.children(hierarchy, stack);
        }
        return t;
    }

    List<Merged> entries() {
        return entries;
    }

    List<PathChange> changes() {
        return changes;
    }

    List<Conflict> conflicts() {
        return conflicts;
    }

    /** {@code path} is a directory in each of {@code stack} (layer indexes, top first), merged. */
    private void directory(String path, List<Integer> stack) throws OperationFailedException {
        entries.add(new Merged(layers.get(stack.get(0)).fs().lstat(path).orElseThrow(), stack.get(0)));
        children(path, stack);
    }

    private void children(String path, List<Integer> stack) throws OperationFailedException {
        TreeMap<String, Map<Integer, TreeEntry>> children = new TreeMap<>();
        for (int i : stack) {
            for (TreeEntry c : layers.get(i).fs().list(path)) {
                children.computeIfAbsent(c.name(), k -> new TreeMap<>()).put(i, c);
            }
        }
        for (Map.Entry<String, Map<Integer, TreeEntry>> child : children.entrySet()) {
            String childPath = path.isEmpty() ? child.getKey() : path + "/" + child.getKey();
            child(childPath, stack, child.getValue());
        }
    }

    private void child(String path, List<Integer> stack, Map<Integer, TreeEntry> byLayer)
            throws OperationFailedException {
        List<Integer> present = new ArrayList<>();
        for (int i : stack) {
            if (byLayer.containsKey(i)) {
                present.add(i);
            }
        }
        int top = present.get(0);
        TreeEntry winner = byLayer.get(top);
        List<Integer> lower = present.subList(1, present.size());
        if (isWhiteout(winner)) {
            // overlayfs' whiteout: what lies below is hidden, and the whiteout itself is not shown
            if (!lower.isEmpty()) {
                report(path, top, PathChange.WHITEOUT, lower, false);
            }
            return;
        }
        if (winner.type() != EntryType.DIRECTORY) {
            entries.add(new Merged(winner, top));
            if (!lower.isEmpty()) {
                boolean overDirectory = byLayer.get(lower.get(0)).type() == EntryType.DIRECTORY;
                report(path, top, overDirectory ? PathChange.REPLACED_DIRECTORY : PathChange.OVERRIDDEN, lower,
                        false);
                conflict(path, top, lower);
            } else {
                report(path, top, PathChange.ADDED, lower, false);
            }
            return;
        }
        List<Integer> merged = new ArrayList<>(List.of(top));
        List<Integer> hidden = new ArrayList<>();
        boolean opaque = !lower.isEmpty() && opaque(top, path, winner);
        String change = lower.isEmpty() ? PathChange.ADDED : null;
        for (int n = 0; n < lower.size(); n++) {
            int i = lower.get(n);
            TreeEntry e = byLayer.get(i);
            if (!opaque && hidden.isEmpty() && e.type() == EntryType.DIRECTORY) {
                merged.add(i);
                opaque = n + 1 < lower.size() && opaque(i, path, e);
            } else {
                if (change == null) {
                    change = opaque && hidden.isEmpty() && e.type() == EntryType.DIRECTORY ? PathChange.OPAQUE
                            : PathChange.REPLACED_BY_DIRECTORY;
                }
                hidden.add(i);
            }
        }
        if (change != null) {
            report(path, top, change, hidden, true);
        }
        directory(path, merged);
    }

    /** A character device 0:0: overlayfs reads it in a lower layer as a whiteout (docs/compatibility.md, K39). */
    static boolean isWhiteout(TreeEntry e) {
        return e.type() == EntryType.CHAR_DEVICE && e.devMajor() == 0 && e.devMinor() == 0;
    }

    /**
     * Whether the directory {@code e} of layer {@code layer} is opaque: the marker on the entry, or, as the image
     * readers give it apart from the entries, among the attributes of {@code path} (asked only where something
     * lies below to be hidden).
     */
    private boolean opaque(int layer, String path, TreeEntry e) throws OperationFailedException {
        return "y".equals(e.xattrs().get(OPAQUE_XATTR))
                || "y".equals(layers.get(layer).fs().xattrs(path).get(OPAQUE_XATTR));
    }

    private void report(String path, int top, String change, List<Integer> hidden, boolean directory) {
        if (change.equals(PathChange.ADDED)) {
            int slash = path.lastIndexOf('/');
            boolean inAdded = slash > 0 && addedDirectories.contains(path.substring(0, slash));
            if (directory) {
                addedDirectories.add(path);
            }
            if (inAdded) {
                return;
            }
        }
        if (top > 0) {
            changes.add(new PathChange(path, layers.get(top).name(), change, names(hidden)));
        }
    }

    private void conflict(String path, int top, List<Integer> lower) {
        List<Integer> losers = lower.stream().filter(i -> i > 0).toList();
        if (top > 0 && !losers.isEmpty()) {
            conflicts.add(new Conflict(path, layers.get(top).name(), names(losers)));
        }
    }

    private List<String> names(List<Integer> indexes) {
        return indexes.stream().map(i -> layers.get(i).name()).toList();
    }
}
