package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.source.EntryVisitor;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A container image as an image source ({@code docker-archive:}, {@code oci-archive:}, {@code oci:}): its layers
 * applied in order with the OCI whiteout rules, only {@code usr/} and {@code opt/} kept ({@code etc/} goes on to
 * the build, which leaves it out with its {@code etc-content} warning; other top-level directories are dropped here
 * with one {@code outside-hierarchy} warning each), optionally only what differs from a base image or from the
 * layers below a range ({@link ContainerSelection}).
 *
 * <p>The first scan reads every layer once for its headers (and, for a difference, the sha256 of every file) and
 * works out which tar entry of which layer ends up where; each scan then streams the layers that contribute and
 * hands the visitor every directory first, then each surviving entry as its layer's tar reaches it, the content
 * straight from the decompressed stream. A file whose name a later layer deleted but that a surviving hard link
 * still names comes out under the link's name. Every blob's digest (the compressed one and the {@code diff_id})
 * is checked each time a layer is read to its end; nothing is extracted to disk.
 */
public final class ContainerImageSource implements ImageSource {
    /** Extra finding: the image deletes what its base (or the layers below the range) has; a sysext cannot. */
    public static final String IMAGE_DELETION = RuleId.IMAGE_DELETION.id();

    /** What to hand the visitor when a layer's tar reaches a position. */
    private record Emission(TreeEntry out, String origin) {
    }

    private record Plan(List<TreeEntry> directories, Map<Long, List<Emission>> emissions, int lastLayer,
            List<Finding> findings) {
        boolean contributes(int layer) {
            return emissions.keySet().stream().anyMatch(k -> LayerStack.layerOf(k) == layer);
        }
    }

    private final ContainerImage image;
    private final ContainerSelection selection;
    private Plan plan;

    private ContainerImageSource(ContainerImage image, ContainerSelection selection) {
        this.image = image;
        this.selection = selection;
    }

    /** Reads the image's metadata (digests checked; the layers are read by the first scan). */
    public static ContainerImageSource open(ImageReference ref, ContainerSelection selection) throws SysextctlException {
        ContainerImage image = ImageLayoutReader.read(ref);
        int n = image.layers().size();
        if (selection.toLayer() > n || selection.fromLayer() > n) {
            throw new UsageException("--layers " + selection.fromLayer() + ".." + (selection.toLayer() == 0 ? ""
                    : selection.toLayer()) + ": " + ref + " has " + n + " layer" + (n == 1 ? "" : "s")
                    + "; give a range within 1.." + n);
        }
        return new ContainerImageSource(image, selection);
    }

    /** The image's layers, lowest first. */
    public List<Layer> layers() {
        return image.layers();
    }

    /** The digests that identify the image (its manifest's, where it has one, and its config's). */
    public java.util.Set<String> digests() {
        return image.digests();
    }

    @Override
    public String describe() {
        return image.reference().toString();
    }

    @Override
    public void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException {
        Plan p = plan();
        findings.addAll(p.findings());
        for (TreeEntry d : p.directories()) {
            visitor.visit(d, null);
        }
        long[] emitted = {0};
        long planned = p.emissions().values().stream().mapToLong(List::size).sum();
        for (Layer layer : image.layers()) {
            if (layer.number() > p.lastLayer()) {
                break;
            }
            if (!p.contributes(layer.number())) {
                continue; // contributes nothing (its digests were checked by the first read)
            }
            LayerReader.read(image, layer, true, (ordinal, te, content) -> {
                List<Emission> todo = p.emissions().get(LayerStack.key(layer.number(), ordinal));
                if (todo == null) {
                    return;
                }
                String path = ImagePaths.normalize(te.getName()).orElse(null);
                for (Emission e : todo) {
                    if (!e.origin().equals(path) || (e.out().type() == EntryType.FILE && te.getSize() != e.out().size())) {
                        throw new OperationFailedException(describe() + " changed while the image was being built ("
                                + path + " in " + layer.describe() + "); build again once it is no longer modified");
                    }
                    emitted[0]++;
                    visitor.visit(e.out(), e.out().type() == EntryType.FILE ? content : null);
                }
            });
        }
        if (emitted[0] != planned) {
            throw new OperationFailedException(describe() + " changed while the image was being built (its entries); "
                    + "build again once it is no longer modified");
        }
    }

    private Plan plan() throws SysextctlException {
        if (plan == null) {
            plan = makePlan();
        }
        return plan;
    }

    private Plan makePlan() throws SysextctlException {
        Findings findings = new Findings();
        List<Layer> layers = image.layers();
        int last = selection.toLayer() == 0 ? layers.size() : selection.toLayer();
        LayerStack stack = new LayerStack(selection.isDifference());
        // The base: the image's own lower layers (--layers N.., or a base all of whose layers the image starts with),
        // or the image's shared leading layers with the base's own further layers on top.
        ContainerImage baseImage = null;
        int shared = selection.fromLayer() - 1;
        if (selection.base() != null) {
            baseImage = ImageLayoutReader.read(selection.base());
            shared = 0;
            while (shared < Math.min(last, baseImage.layers().size())
                    && layers.get(shared).diffId().equals(baseImage.layers().get(shared).diffId())) {
                shared++;
            }
        }
        LayerStack base = selection.isDifference() && shared == 0 ? stack.copy() : null;
        Findings below = new Findings(); // what the layers the sysext leaves out hold is not its concern
        List<Layer> unchecked = new ArrayList<>();
        for (int i = 1; i <= last; i++) {
            if (!stack.apply(image, layers.get(i - 1), i <= shared ? below : findings)) {
                unchecked.add(layers.get(i - 1));
            }
            if (i == shared && selection.isDifference()) {
                base = stack.copy();
            }
        }
        if (baseImage != null) {
            for (Layer l : baseImage.layers().subList(shared, baseImage.layers().size())) {
                base.apply(baseImage, l, below);
            }
        }

        TreeMap<String, LayerStack.Node> all = stack.nodes();
        TreeMap<String, LayerStack.Node> kept = new TreeMap<>();
        Map<String, Integer> outside = new TreeMap<>();
        for (Map.Entry<String, LayerStack.Node> e : all.entrySet()) {
            String path = e.getKey();
            String top = e.getValue().entry().topLevel();
            if (base != null && !selection.included(path)
                    && same(stack, e.getValue(), base, base.nodes().get(path))) {
                continue;
            }
            if (!top.equals("usr") && !top.equals("opt") && !top.equals("etc")) {
                outside.merge(top, 1, Integer::sum);
                continue;
            }
            kept.put(path, e.getValue());
        }
        for (String i : selection.includes()) {
            if (!all.containsKey(i)) {
                throw new UsageException("--include " + i + ": " + describe() + " has no such path; give a path the "
                        + "image holds");
            }
        }
        for (String path : new ArrayList<>(kept.keySet())) {
            for (String p = ImagePaths.parentOf(path); p != null && !kept.containsKey(p); p = ImagePaths.parentOf(p)) {
                if (all.containsKey(p)) {
                    kept.put(p, all.get(p));
                }
            }
        }
        for (Map.Entry<String, Integer> o : outside.entrySet()) {
            findings.add(new Finding(LintRule.OUTSIDE_HIERARCHY.id(), Severity.WARNING, o.getKey(), o.getKey() + " ("
                    + o.getValue() + " entr" + (o.getValue() == 1 ? "y" : "ies") + ") in " + describe() + " is outside "
                    + "usr/ and opt/, which systemd-sysext does not merge; it was left out",
                    "nothing to do if the extension does not need it; else install it under /usr or /opt in the image"));
        }
        if (base != null) {
            reportDeletions(base, all, findings);
        }
        Plan p = new Plan(directories(kept), emissions(stack, kept), last, findings.asList());
        for (Layer l : unchecked) {
            if (!p.contributes(l.number())) {
                LayerReader.verify(image, l); // every scan checks the layers it reads; these it does not read
            }
        }
        return p;
    }

    /** Whether the image's node is what the base has at the same path (times aside: the build sets them). */
    private static boolean same(LayerStack image, LayerStack.Node n, LayerStack base, LayerStack.Node b) {
        if (b == null) {
            return false;
        }
        TreeEntry x = n.entry();
        TreeEntry y = b.entry();
        if (x.type() != y.type() || x.mode() != y.mode() || x.uid() != y.uid() || x.gid() != y.gid()
                || !x.xattrs().equals(y.xattrs()) || x.devMajor() != y.devMajor() || x.devMinor() != y.devMinor()) {
            return false;
        }
        return switch (x.type()) {
            case FILE -> x.size() == y.size() && image.hash(n) != null && image.hash(n).equals(base.hash(b));
            case SYMLINK -> Objects.equals(x.linkTarget(), y.linkTarget());
            default -> true;
        };
    }

    /** One finding for each outermost path under usr/ or opt/ that the base has and the image no longer has. */
    private void reportDeletions(LayerStack base, TreeMap<String, LayerStack.Node> all, Findings findings) {
        for (Map.Entry<String, LayerStack.Node> b : base.nodes().entrySet()) {
            String path = b.getKey();
            String top = b.getValue().entry().topLevel();
            if ((!top.equals("usr") && !top.equals("opt")) || all.containsKey(path)) {
                continue;
            }
            String parent = ImagePaths.parentOf(path);
            if (parent != null && !all.containsKey(parent) && base.nodes().containsKey(parent)) {
                continue; // below a deletion reported already
            }
            int below = base.nodes().subMap(path + "/", true, path + "0", false).size();
            findings.add(new Finding(IMAGE_DELETION, Severity.WARNING, path, describe() + " deletes " + path
                    + (below > 0 ? " (and " + below + (below == 1 ? " entry" : " entries") + " below it)" : "") + ", which "
                    + (selection.base() != null ? "the base image " + selection.base() : "the layers below layer "
                    + selection.fromLayer()) + " holds; a sysext cannot delete from the system it extends, so it stays",
                    "nothing to do if it may stay; else remove it from the system itself"));
        }
    }

    private static List<TreeEntry> directories(TreeMap<String, LayerStack.Node> kept) {
        List<TreeEntry> dirs = new ArrayList<>();
        for (LayerStack.Node n : kept.values()) {
            if (n.type() == EntryType.DIRECTORY) {
                dirs.add(n.entry());
            }
        }
        return dirs;
    }

    /**
     * Where each kept entry comes out: a file (and every hard link sharing its content) where the content streams,
     * the first of its names as the file and the others as hard links to it; links and nodes where they were listed.
     */
    private static Map<Long, List<Emission>> emissions(LayerStack stack, TreeMap<String, LayerStack.Node> kept) {
        Map<Long, List<LayerStack.Node>> byContent = new TreeMap<>();
        Map<Long, List<Emission>> out = new HashMap<>();
        for (LayerStack.Node n : kept.values()) {
            if (n.type() == EntryType.FILE) {
                byContent.computeIfAbsent(n.content(), k -> new ArrayList<>()).add(n);
            } else if (n.type() != EntryType.DIRECTORY) {
                out.computeIfAbsent(LayerStack.key(n.layer(), n.ordinal()), k -> new ArrayList<>())
                        .add(new Emission(n.entry(), n.origin()));
            }
        }
        for (Map.Entry<Long, List<LayerStack.Node>> g : byContent.entrySet()) {
            long key = g.getKey();
            List<LayerStack.Node> names = new ArrayList<>(g.getValue());
            // the entry that carries the content first, when it survives; else the first name
            // (names under etc/ last: the build leaves them out, and a link to a name left out would be a copy)
            names.sort(Comparator.comparing((LayerStack.Node n) -> n.entry().topLevel().equals("etc"))
                    .thenComparing(n -> LayerStack.key(n.layer(), n.ordinal()) != key)
                    .thenComparing(n -> n.entry().path()));
            TreeEntry first = names.get(0).entry();
            String origin = stack.contentPath(key);
            List<Emission> list = out.computeIfAbsent(key, k -> new ArrayList<>());
            list.add(new Emission(first, origin));
            for (LayerStack.Node n : names.subList(1, names.size())) {
                TreeEntry e = n.entry();
                list.add(new Emission(new TreeEntry(e.path(), EntryType.HARDLINK, e.mode(), e.uid(), e.gid(), 0,
                        first.path(), 0, 0, e.mtime(), null), origin));
            }
        }
        return out;
    }
}
