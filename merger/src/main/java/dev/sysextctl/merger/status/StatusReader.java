package dev.sysextctl.merger.status;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.merger.mount.DevNumber;
import dev.sysextctl.merger.mount.MergeMarkers;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code status}: per hierarchy, sorted by path as systemd prints it, whether a live merge is mounted, its
 * extensions and since when (the merged root's mtime, which the meta layer sets at merge time). Works under
 * {@code --root} (systemd 252's does not, docs/compatibility.md §5.1).
 */
public final class StatusReader {
    private StatusReader() {
    }

    public static List<HierarchyStatus> read(Node node) throws OperationFailedException {
        return read(node, MountTable.self());
    }

    public static List<HierarchyStatus> read(Node node, MountTable mounts) throws OperationFailedException {
        Optional<String> unfinished = UnfinishedChange.note(node);
        List<HierarchyStatus> out = readMarkers(node, mounts);
        if (unfinished.isEmpty()) {
            return out;
        }
        List<HierarchyStatus> noted = new ArrayList<>();
        for (HierarchyStatus s : out) {
            noted.add(!s.exists() ? s : new HierarchyStatus(s.hierarchy(), s.path(), s.exists(), s.merged(),
                    s.extensions(), s.since(), s.dev(), s.note() == null ? unfinished.get()
                            : s.note() + "; " + unfinished.get(), s.extensionClass()));
        }
        return noted;
    }

    private static List<HierarchyStatus> readMarkers(Node node, MountTable mounts) throws OperationFailedException {
        List<String> hs = new ArrayList<>(node.hierarchies());
        hs.sort(Comparator.naturalOrder());
        List<HierarchyStatus> out = new ArrayList<>();
        ExtensionClass c = node.extensionClass();
        for (String h : hs) {
            Path p = node.resolve(h);
            boolean exists = Files.isDirectory(p);
            if (!exists) {
                out.add(new HierarchyStatus(h, p.toString(), false, false, List.of(), null, null, null, c));
                continue;
            }
            if (MergeMarkers.isOurs(p, mounts, node.extensionClass())) {
                Long since = null;
                try {
                    since = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.MICROSECONDS);
                } catch (IOException ignored) {
                    // leave it unknown
                }
                out.add(new HierarchyStatus(h, p.toString(), true, true,
                        MergeMarkers.readExtensions(p, node.extensionClass()), since,
                        MergeMarkers.readDev(p, node.extensionClass()).map(DevNumber::toString).orElse(null), null, c));
            } else {
                Optional<DevNumber> stale = MergeMarkers.readDev(p, node.extensionClass());
                out.add(new HierarchyStatus(h, p.toString(), true, false, List.of(), null, null,
                        stale.isPresent() ? "carries a " + node.extensionClass().markerDirectory() + "/dev marker (" + stale.get()
                                + ") that does not describe it: an offline copy or a stale marker, not a merge"
                                : null, c));
            }
        }
        return out;
    }
}
