package dev.sysextctl.merger.manager;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.merger.mount.MergeMarkers;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What of the node's merge matters to PID 1, read from the tree as it is now (before or after a change).
 *
 * @param extensions the extensions merged into any hierarchy (the {@code .systemd-sysext/extensions} markers)
 * @param reloadRequests those whose extension-release, read from the merged tree with systemd's relaxed lookup
 *     (docs/compatibility.md §4.9 {@code need_reload()}), says {@code EXTENSION_RELOAD_MANAGER} is true
 * @param unitFiles the names of the unit files in PID 1's unit directories under the hierarchies (whether merged
 *     or not), e.g. {@code docker.service}, {@code getty@.service}
 */
public record ManagerSnapshot(List<String> extensions, List<String> reloadRequests, Set<String> unitFiles) {
    /** PID 1's system unit directories that can lie in a sysext hierarchy (systemd.unit(5), in {@code /usr}). */
    public static final List<String> UNIT_DIRS = List.of("/usr/local/lib/systemd/system", "/usr/lib/systemd/system");

    public static final ManagerSnapshot EMPTY = new ManagerSnapshot(List.of(), List.of(), Set.of());

    public ManagerSnapshot {
        extensions = List.copyOf(extensions);
        reloadRequests = List.copyOf(reloadRequests);
        unitFiles = Set.copyOf(unitFiles);
    }

    public static ManagerSnapshot read(Node node) throws OperationFailedException {
        MountTable mounts = MountTable.self();
        Set<String> names = new TreeSet<>();
        for (String h : node.hierarchies()) {
            Path p = node.resolve(h);
            if (MergeMarkers.isOurs(p, mounts, node.extensionClass())) {
                names.addAll(MergeMarkers.readExtensions(p, node.extensionClass()));
            }
        }
        DirectoryImageFs tree = new DirectoryImageFs(node.root());
        List<String> requests = new ArrayList<>();
        for (String name : names) {
            if (requestsReload(tree, name, node)) {
                requests.add(name);
            }
        }
        Set<String> units = new TreeSet<>();
        for (String dir : UNIT_DIRS) {
            if (node.hierarchies().stream().anyMatch(h -> dir.startsWith(h.endsWith("/") ? h : h + "/"))) {
                units.addAll(unitFiles(node.resolve(dir)));
            }
        }
        return new ManagerSnapshot(List.copyOf(names), requests, units);
    }

    /**
     * {@code need_reload()} for one extension: its extension-release in the merged tree, found as systemd finds it
     * with the relaxed check; unreadable or missing counts as no (systemd logs and ignores it).
     */
    static boolean requestsReload(DirectoryImageFs tree, String name, Node node) {
        try {
            ReleaseLookup l = ExtensionReleaseLocator.locate(tree, name, node.systemdVersion());
            if (!l.found()) {
                return false;
            }
            String v = l.release().get(ReleaseKeys.EXTENSION_RELOAD_MANAGER);
            return v != null && !v.isEmpty() && Boolean.TRUE.equals(ExtensionReleaseLocator.parseBoolean(v));
        } catch (OperationFailedException | RuntimeException e) {
            return false;
        }
    }

    /** The unit files (regular files and symlinks, not the {@code .wants/} or {@code .d/} directories) in dir. */
    static Set<String> unitFiles(Path dir) throws OperationFailedException {
        Set<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (UnitNames.isUnitName(n) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(n);
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot list " + dir + ": " + e.getMessage()
                    + "; check that it is readable");
        }
        return out;
    }
}
