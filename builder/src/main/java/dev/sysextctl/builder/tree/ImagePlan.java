package dev.sysextctl.builder.tree;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.tree.LayeredTree.Node;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The image a build will write: the layered tree with {@code etc/} taken out (a sysext does not merge it; a confext
 * leaves {@code usr/} and {@code opt/} out instead),
 * missing parent directories added ({@code 0755}, root), the extension-release in place, owners and times
 * normalised, and hard links whose target was replaced by a later source turned back into files. Pass two
 * ({@link #write}) scans the sources again and hands every entry to a {@link TreeSink} in writing order.
 */
public final class ImagePlan {
    /** Extra finding: the sources carried the extension-release that the build writes itself. */
    private static final String RELEASE_REPLACED = RuleId.RELEASE_REPLACED.id();

    /** What to emit when the source visits its {@code ordinal}-th entry in pass two. */
    private record Emission(TreeEntry out, TreeEntry origin) {
    }

    private final List<TreeEntry> entries;
    private final List<TreeEntry> etcEntries;
    private final TreeEntry releaseEntry;
    private final byte[] releaseBytes;
    private final Map<Integer, Map<Long, Emission>> emissions;

    private final ExtensionClass extensionClass;

    private ImagePlan(List<TreeEntry> entries, List<TreeEntry> etcEntries, TreeEntry releaseEntry,
            byte[] releaseBytes, Map<Integer, Map<Long, Emission>> emissions, ExtensionClass extensionClass) {
        this.extensionClass = extensionClass;
        this.entries = entries;
        this.etcEntries = etcEntries;
        this.releaseEntry = releaseEntry;
        this.releaseBytes = releaseBytes;
        this.emissions = emissions;
    }

    /**
     * Plans the image from a layered tree.
     *
     * @param name the extension name (the release file is {@code extension-release.NAME})
     * @param release the fields the image's extension-release will carry
     * @param epoch the time of every entry (seconds)
     * @param keepOwnership keep the sources' uid/gid instead of making everything root's
     */
    public static ImagePlan of(LayeredTree tree, String name, ReleaseFile release, long epoch,
            boolean keepOwnership) {
        return of(tree, name, release, epoch, keepOwnership, ExtensionClass.SYSEXT);
    }

    /** Plans an image of class {@code cls}: the other class's hierarchies are left out, its release file goes in. */
    public static ImagePlan of(LayeredTree tree, String name, ReleaseFile release, long epoch,
            boolean keepOwnership, ExtensionClass cls) {
        TreeMap<String, Node> nodes = tree.nodes();
        Findings findings = tree.findings();

        List<TreeEntry> etc = new ArrayList<>();
        List<String> dropped = cls.other().topLevels();
        for (Iterator<Map.Entry<String, Node>> it = nodes.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Node> e = it.next();
            if (dropped.contains(e.getValue().entry().topLevel())) {
                etc.add(normalize(e.getValue().entry(), epoch, keepOwnership));
                it.remove();
            }
        }

        String releasePath = cls.releasePath(name);
        byte[] releaseBytes = release.render().getBytes(StandardCharsets.UTF_8);
        boolean validPath = ImagePaths.normalize(releasePath).map(releasePath::equals).orElse(false);
        TreeEntry releaseEntry = null;
        if (validPath) {
            Node old = nodes.remove(releasePath);
            if (old != null) {
                tree.removeSubtree(releasePath);
                findings.add(releaseReplaced(releasePath));
            }
            for (String p : ImagePaths.parents(releasePath)) {
                Node n = nodes.get(p);
                if (n != null && n.type() != EntryType.DIRECTORY) {
                    nodes.put(p, LayeredTree.implied(p));
                    findings.add(new Finding(RELEASE_REPLACED, Severity.WARNING, p, "the source's " + p + " (a "
                            + n.type().jsonName() + ") is replaced by the directory the extension-release needs",
                            "remove it from the source"));
                }
            }
            releaseEntry = TreeEntry.file(releasePath, 0644, releaseBytes.length);
            nodes.put(releasePath, new Node(releaseEntry, LayeredTree.RELEASE, -1, -1, releaseEntry));
        }

        // In path order every listed parent comes before its children, its own parents already present: walking up
        // to the first present one adds each implied directory once (linear, not cubic, in the depth).
        for (String path : new ArrayList<>(nodes.keySet())) {
            for (String p = ImagePaths.parentOf(path); p != null && !nodes.containsKey(p); p = ImagePaths.parentOf(p)) {
                nodes.put(p, LayeredTree.implied(p));
            }
        }

        Map<String, String> carriers = new HashMap<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node n = e.getValue();
            if (n.type() != EntryType.HARDLINK) {
                continue;
            }
            Node target = nodes.get(n.entry().linkTarget());
            if (target != null && target.source() == n.source() && target.ordinal() == n.targetOrdinal()) {
                continue;
            }
            String key = n.source() + ":" + n.targetOrdinal();
            String carrier = carriers.get(key);
            if (carrier == null) {
                carriers.put(key, e.getKey());
                TreeEntry file = new TreeEntry(n.entry().path(), EntryType.FILE, n.entry().mode(), n.entry().uid(),
                        n.entry().gid(), n.entry().size(), null, 0, 0, n.entry().mtime(), n.entry().xattrs());
                TreeEntry origin = file.withPath(n.entry().linkTarget());
                e.setValue(new Node(file, n.source(), n.targetOrdinal(), -1, origin));
            } else {
                e.setValue(new Node(n.entry().withLinkTarget(carrier), n.source(), n.ordinal(), -1, n.origin()));
            }
        }

        List<TreeEntry> out = new ArrayList<>();
        Map<Integer, Map<Long, Emission>> emissions = new HashMap<>();
        for (Node n : nodes.values()) {
            TreeEntry normalized = normalize(n.entry(), epoch, keepOwnership);
            out.add(normalized);
            if (n.source() >= 0 && n.type() != EntryType.DIRECTORY) {
                TreeEntry origin = n.origin();
                emissions.computeIfAbsent(n.source(), k -> new HashMap<>()).put(n.ordinal(),
                        new Emission(normalized, origin));
            }
        }
        if (releaseEntry != null) {
            releaseEntry = normalize(releaseEntry, epoch, false);
        }
        return new ImagePlan(Collections.unmodifiableList(out), Collections.unmodifiableList(etc), releaseEntry,
                releaseBytes, emissions, cls);
    }

    static Finding releaseReplaced(String releasePath) {
        return new Finding(RELEASE_REPLACED, Severity.WARNING, releasePath, "the source's " + releasePath
                + " is replaced by the one built from the options",
                "drop the file from the source, or pass its fields as --os/--os-version/--set");
    }

    static TreeEntry normalize(TreeEntry e, long epoch, boolean keepOwnership) {
        TreeEntry n = e.withMtime(epoch);
        if (!keepOwnership) {
            n = n.withOwner(0, 0);
        }
        if (n.type() == EntryType.SYMLINK) {
            n = n.withMode(0777);
        }
        return n;
    }

    /** Every entry of the image but the root, sorted by path (parents before children); the release included. */
    public List<TreeEntry> entries() {
        return entries;
    }

    /** What the sources had under {@code etc/} (a confext: {@code usr/} and {@code opt/}); not part of the image. */
    public List<TreeEntry> etcEntries() {
        return etcEntries;
    }

    /** The entries the linter looks at: the image's and those left out ({@link #etcEntries()}). */
    public List<TreeEntry> lintEntries() {
        List<TreeEntry> all = new ArrayList<>(entries);
        all.addAll(etcEntries);
        return all;
    }

    public byte[] releaseBytes() {
        return releaseBytes.clone();
    }

    /**
     * The hierarchies systemd would merge from this image: {@code usr} and/or {@code opt} when not empty (a confext:
     * {@code etc}).
     */
    public List<String> hierarchies() {
        return hierarchiesOf(entries, extensionClass);
    }

    static List<String> hierarchiesOf(List<TreeEntry> entries) {
        return hierarchiesOf(entries, ExtensionClass.SYSEXT);
    }

    static List<String> hierarchiesOf(List<TreeEntry> entries, ExtensionClass cls) {
        Set<String> h = new LinkedHashSet<>();
        for (TreeEntry e : entries) {
            int slash = e.path().indexOf('/');
            if (slash > 0) {
                h.add(e.path().substring(0, slash));
            }
        }
        List<String> out = new ArrayList<>();
        for (String name : cls.topLevels()) {
            if (h.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Pass two: scans {@code sources} (the same list, in the same order, as pass one) and hands the sink every
     * directory, then every file, link and node in source order, with the extension-release before the first of them
     * that sorts after it in {@link PathOrder} (last if none does). For a directory, whose walk is in that order, the
     * files then come exactly as mksquashfs reads them from the directory itself (the image is the same either
     * way); the single pass puts the release at the same place.
     *
     * @throws OperationFailedException when a source does not give the same entries as in pass one
     */
    public void write(List<ImageSource> sources, TreeSink sink) throws IOException, SysextctlException {
        for (TreeEntry e : entries) {
            if (e.type() == EntryType.DIRECTORY) {
                sink.add(e, null);
            }
        }
        boolean[] releaseWritten = {releaseEntry == null};
        for (int i = 0; i < sources.size(); i++) {
            ImageSource source = sources.get(i);
            Map<Long, Emission> todo = emissions.getOrDefault(i, Map.of());
            long[] ordinal = {0};
            long[] emitted = {0};
            source.scan((e, content) -> {
                Emission x = todo.get(ordinal[0]++);
                if (x == null) {
                    return;
                }
                if (!e.path().equals(x.origin().path()) || e.type() != x.origin().type()
                        || (e.type() == EntryType.FILE && e.size() != x.origin().size())) {
                    throw changed(source, e.path());
                }
                emitted[0]++;
                if (!releaseWritten[0] && PathOrder.compare(x.out().path(), releaseEntry.path()) > 0) {
                    sink.add(releaseEntry, new ByteArrayInputStream(releaseBytes));
                    releaseWritten[0] = true;
                }
                sink.add(x.out(), x.out().type() == EntryType.FILE ? content : null);
            }, new Findings());
            if (emitted[0] != todo.size()) {
                throw changed(source, "its entries");
            }
        }
        if (!releaseWritten[0]) {
            sink.add(releaseEntry, new ByteArrayInputStream(releaseBytes));
        }
    }

    private static OperationFailedException changed(ImageSource source, String path) {
        return new OperationFailedException(source.describe() + " changed while the image was being built (" + path
                + "); build again once it is no longer being modified");
    }
}
