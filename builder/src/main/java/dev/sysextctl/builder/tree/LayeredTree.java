package dev.sysextctl.builder.tree;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Pass one of a build: the entries of every source layered into one tree, in source order, a later source
 * winning a path conflict (a directory merges with a directory; anything else replaces what was there, a
 * directory with its whole subtree). Within one source, an entry below a non-directory of that same source is
 * refused as {@code unsafe-path} (a link in the parent path could lead anywhere), hard links are resolved to
 * the file they name, and the last entry of a repeated name wins, as when extracting a tar archive.
 */
public final class LayeredTree {
    /** Source index of a parent directory no source listed. */
    public static final int IMPLIED = -1;
    /** Source index of the generated extension-release. */
    public static final int RELEASE = -2;
    /** Extra finding: a hard link to a name the source has not had before it. */
    private static final String BROKEN_HARDLINK = RuleId.BROKEN_HARDLINK.id();

    /**
     * A node of the layered tree. For hard links, {@code entry.linkTarget()} is the target's path in the source and
     * {@code targetOrdinal} the visit that delivered its content; {@code origin} is the entry as the source gave it.
     */
    record Node(TreeEntry entry, int source, long ordinal, long targetOrdinal, TreeEntry origin) {
        EntryType type() {
            return entry.type();
        }
    }

    private record Seen(long ordinal, TreeEntry entry) {
    }

    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final Findings findings;
    private int source = -1;
    private String sourceName = "";
    private Map<String, Seen> seen = new HashMap<>();
    /** Implied parents (no node) already walked: no entry other than a directory is above them. */
    private final TreeSet<String> checkedDirs = new TreeSet<>();

    public LayeredTree(Findings findings) {
        this.findings = findings;
    }

    /** Scans every source once (pass one) and layers their entries. */
    public static LayeredTree scan(List<ImageSource> sources, Findings findings) throws IOException,
            SysextctlException {
        LayeredTree tree = new LayeredTree(findings);
        for (int i = 0; i < sources.size(); i++) {
            ImageSource s = sources.get(i);
            tree.beginSource(i, s.describe());
            long[] ordinal = {0};
            s.scan((e, content) -> tree.add(e, ordinal[0]++), findings);
        }
        return tree;
    }

    public void beginSource(int index, String description) {
        this.source = index;
        this.sourceName = description;
        this.seen = new HashMap<>();
    }

    /** Adds the {@code ordinal}-th entry the current source visited. */
    public void add(TreeEntry e, long ordinal) {
        String path = e.path();
        if (path.isEmpty()) {
            return;
        }
        // Up to the first parent known to be a directory with no other kind of entry above it: each path is walked
        // once, whatever the depth (walking every parent of every entry is cubic in the depth of a deep archive).
        List<String> unchecked = new ArrayList<>();
        for (String p = ImagePaths.parentOf(path); p != null; p = ImagePaths.parentOf(p)) {
            Node n = nodes.get(p);
            if (n != null ? n.type() == EntryType.DIRECTORY : checkedDirs.contains(p)) {
                break;
            }
            unchecked.add(p);
        }
        for (int i = unchecked.size() - 1; i >= 0; i--) {
            String p = unchecked.get(i);
            Node n = nodes.get(p);
            if (n == null || n.type() == EntryType.DIRECTORY) {
                continue;
            }
            if (n.source() == source) {
                findings.add(LintRule.UNSAFE_PATH, path, parentNotDirectory(p, n.type(), sourceName));
                return;
            }
            nodes.put(p, implied(p));
        }
        checkedDirs.addAll(unchecked);
        TreeEntry entry = e;
        long targetOrdinal = -1;
        if (e.type() == EntryType.HARDLINK) {
            Seen t = seen.get(e.linkTarget());
            if (t == null || t.entry().type() == EntryType.DIRECTORY) {
                findings.add(brokenHardlink(path, e.linkTarget(), sourceName));
                return;
            }
            TreeEntry target = t.entry();
            if (target.type() == EntryType.FILE) {
                entry = new TreeEntry(path, EntryType.HARDLINK, target.mode(), target.uid(), target.gid(),
                        target.size(), target.path(), 0, 0, target.mtime(), target.xattrs());
                targetOrdinal = t.ordinal();
            } else {
                entry = target.withPath(path);
            }
        }
        if (entry.type() != EntryType.DIRECTORY) {
            removeSubtree(path); // what was below a directory (listed or implied) at this path goes with it
            checkedDirs.remove(path);
            checkedDirs.subSet(path + "/", true, path + "0", false).clear();
        }
        nodes.put(path, new Node(entry, source, ordinal, targetOrdinal, e));
        seen.put(path, e.type() == EntryType.HARDLINK ? seen.get(e.linkTarget()) : new Seen(ordinal, entry));
    }

    /** The unsafe-path message for an entry below a non-directory of its own source. */
    static String parentNotDirectory(String parent, EntryType type, String sourceName) {
        return "its parent " + parent + " is a " + type.jsonName() + " in the same source (" + sourceName
                + "); the entry was left out";
    }

    static Finding brokenHardlink(String path, String target, String sourceName) {
        return new Finding(BROKEN_HARDLINK, Severity.ERROR, path, "hard link to " + target + ", which " + sourceName
                + " does not hold as a file before it", "rebuild the archive so that the link target comes first");
    }

    static Node implied(String path) {
        TreeEntry d = TreeEntry.directory(path, 0755);
        return new Node(d, IMPLIED, -1, -1, d);
    }

    void removeSubtree(String path) {
        subtree(path).clear();
    }

    NavigableMap<String, Node> subtree(String path) {
        return nodes.subMap(path + "/", true, path + "0", false);
    }

    TreeMap<String, Node> nodes() {
        return nodes;
    }

    Findings findings() {
        return findings;
    }
}
