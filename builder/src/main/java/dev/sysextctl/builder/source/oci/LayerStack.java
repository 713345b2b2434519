package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.source.TarSource;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The file system a stack of layers makes, as the OCI image spec applies them: each layer in order, its whiteouts
 * ({@code DIR/.wh.NAME} deletes NAME, {@code DIR/.wh..wh..opq} hides what lower layers have in DIR) acting on the
 * layers below it only, a directory merging with a directory and anything else replacing what was at its path
 * (a directory with everything below it). The markers themselves never appear in the result. Only headers are
 * kept: each entry remembers the layer and the position in it ({@link Node}) where its content streams, so that
 * a second read can hand the content over without anything being extracted.
 */
final class LayerStack {
    static final String OPAQUE = ".wh..wh..opq";
    static final String WHITEOUT = ".wh.";
    /** Extra finding (as the tar sources): a hard link to a name the layers do not hold as a file. */
    static final String BROKEN_HARDLINK = "broken-hardlink";

    /**
     * One path of the result.
     *
     * @param entry the entry (a hard link is a {@code FILE} here, with its target's attributes)
     * @param layer the layer that put it there (1 = lowest)
     * @param ordinal its position among the layer's tar entries; -1 for a directory no layer listed
     * @param content for files, the position ({@link #key}) where the content streams; -1 otherwise
     * @param origin the path the tar entry at (layer, ordinal) has
     */
    record Node(TreeEntry entry, int layer, long ordinal, long content, String origin) {
        EntryType type() {
            return entry.type();
        }
    }

    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final boolean hashContent;
    /** sha256 of every file's content by {@link #key}, when asked for. */
    private final Map<Long, String> hashes;
    /** The path of the tar entry that carries each file's content, by {@link #key}. */
    private final Map<Long, String> contentPaths;

    LayerStack(boolean hashContent) {
        this(hashContent, new HashMap<>(), new HashMap<>());
    }

    private LayerStack(boolean hashContent, Map<Long, String> hashes, Map<Long, String> contentPaths) {
        this.hashContent = hashContent;
        this.hashes = hashes;
        this.contentPaths = contentPaths;
    }

    /** A copy of this state, to apply the layers of another image to (its own content keys from then on). */
    LayerStack copy() {
        LayerStack c = new LayerStack(hashContent, new HashMap<>(hashes), new HashMap<>(contentPaths));
        c.nodes.putAll(nodes);
        return c;
    }

    /** The path of the tar entry that carries the content at {@code key}. */
    String contentPath(long key) {
        return contentPaths.get(key);
    }

    static long key(int layer, long ordinal) {
        return ((long) layer << 40) | ordinal;
    }

    static int layerOf(long key) {
        return (int) (key >>> 40);
    }

    static long ordinalOf(long key) {
        return key & ((1L << 40) - 1);
    }

    TreeMap<String, Node> nodes() {
        return nodes;
    }

    /** The content hash of a file node ({@code sha256:HEX}); null when content was not hashed. */
    String hash(Node n) {
        return n.content() < 0 ? null : hashes.get(n.content());
    }

    private record Pending(long ordinal, TreeEntry entry) {
    }

    /**
     * Reads {@code layer} of {@code image} and applies it. The digests of a compressed layer are checked as it is
     * decompressed; an uncompressed one is only parsed here (the caller checks it when it reads it again, or with
     * {@link LayerReader#verify}), unless file contents are hashed anyway.
     *
     * @return whether the layer's digests were checked
     */
    boolean apply(ContainerImage image, Layer layer, Findings findings) throws SysextctlException {
        int number = layer.number();
        List<String> whiteouts = new ArrayList<>();
        List<String> opaque = new ArrayList<>();
        List<Pending> entries = new ArrayList<>();
        String where = image.reference() + " " + layer.describe();
        boolean verify = hashContent || layer.compression() != dev.sysextctl.builder.source.ArchiveCompression.NONE;
        LayerReader.read(image, layer, verify, (ordinal, te, content) -> {
            String name = te.getName();
            String path = ImagePaths.normalize(name).orElse(null);
            String base = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
            if (path != null && base.startsWith(WHITEOUT)) {
                String dir = ImagePaths.parentOf(path);
                dir = dir == null ? "" : dir;
                if (base.equals(OPAQUE)) {
                    opaque.add(dir);
                } else if (!base.startsWith(WHITEOUT + WHITEOUT)) { // other .wh..wh. names are reserved: ignored
                    String target = base.substring(WHITEOUT.length());
                    if (target.isEmpty() || target.equals(".") || target.equals("..")) {
                        findings.add(LintRule.UNSAFE_PATH, path, "the whiteout " + path + " in " + where
                                + " names no entry; it was left out");
                    } else {
                        whiteouts.add(dir.isEmpty() ? target : dir + "/" + target);
                    }
                }
                return;
            }
            TreeEntry e = TarSource.toEntry(te, findings);
            if (e == null) {
                return;
            }
            if (e.type() == EntryType.FILE) {
                contentPaths.put(key(number, ordinal), e.path());
                if (hashContent) {
                    hashes.put(key(number, ordinal), sha256(content));
                }
            }
            entries.add(new Pending(ordinal, e));
        });
        // Whiteouts act on the layers below only, wherever they come in the layer's tar.
        for (String dir : opaque) {
            if (dir.isEmpty()) {
                nodes.clear();
            } else {
                subtree(dir).clear();
            }
        }
        for (String gone : whiteouts) {
            nodes.remove(gone);
            subtree(gone).clear();
        }
        for (Pending p : entries) {
            add(number, p.ordinal(), p.entry(), where, findings);
        }
        return verify;
    }

    private void add(int layer, long ordinal, TreeEntry e, String where, Findings findings) {
        String path = e.path();
        if (path.isEmpty()) {
            return; // the image root's metadata is fixed
        }
        // Nothing in the state has a non-directory above it: only the nearest parent present can be in the way.
        String p = ImagePaths.parentOf(path);
        while (p != null && !nodes.containsKey(p)) {
            p = ImagePaths.parentOf(p);
        }
        Node n = p == null ? null : nodes.get(p);
        if (n != null && n.type() != EntryType.DIRECTORY) {
            if (n.layer() == layer) {
                findings.add(LintRule.UNSAFE_PATH, path, "its parent " + p + " is a " + n.type().jsonName() + " in the "
                        + "same layer (" + where + "); the entry was left out");
                return;
            }
            nodes.put(p, new Node(TreeEntry.directory(p, 0755), layer, -1, -1, p)); // as extracting would do
        }
        Node node;
        if (e.type() == EntryType.HARDLINK) {
            Node t = nodes.get(e.linkTarget());
            if (t == null || t.type() == EntryType.DIRECTORY) {
                findings.add(new Finding(BROKEN_HARDLINK, Severity.ERROR, path, "hard link to " + e.linkTarget()
                        + ", which " + where + " and the layers below it do not hold as a file",
                        "rebuild the image so that the link target exists"));
                return;
            }
            node = new Node(t.entry().withPath(path), layer, ordinal, t.content(), path);
        } else {
            node = new Node(e, layer, ordinal, e.type() == EntryType.FILE ? key(layer, ordinal) : -1, path);
        }
        Node old = nodes.get(path);
        if (old != null && !(old.type() == EntryType.DIRECTORY && e.type() == EntryType.DIRECTORY)) {
            subtree(path).clear();
        }
        nodes.put(path, node);
    }

    private java.util.NavigableMap<String, Node> subtree(String path) {
        return nodes.subMap(path + "/", true, path + "0", false);
    }

    private static String sha256(InputStream content) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream in = new DigestInputStream(new NonClosing(content), md)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the layer's tar stream stays open
        }
    }
}
