package dev.sysextctl.composer;

import dev.sysextctl.builder.TreeImageWriter;
import dev.sysextctl.builder.validate.ImageValidator;
import dev.sysextctl.builder.validate.ImageVerdict;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.merger.plan.Planner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Composes one image of a base {@code /usr} (and {@code /opt}) with extensions, as systemd-sysext 252 merges them
 * (docs/cli.md §10): every extension is checked as {@code validate} checks it (docs/compatibility.md §2.4)
 * against the base's os-release or the one given, an incompatible one is refused unless {@code force}; the
 * extensions are layered in systemd's order (ascending by name, {@link Planner#LAYER_ORDER}, the last on top) over
 * the base, each hierarchy as the read-only overlay shows it ({@link OverlayTree}); the result is written by the
 * builder's writers ({@link TreeImageWriter}) with every owner and mode kept, every time set to 0 (the same inputs
 * give the same bytes). The extensions' extension-release files stay in the image, so it says what it holds.
 * systemd's marker directories ({@code usr/.systemd-sysext}, {@code opt/.systemd-sysext}), which only a live merge
 * has, are not part of it.
 */
public final class Composer {
    static final List<String> HIERARCHIES = List.of("usr", "opt");
    private static final SystemdVersion RULES = SystemdVersion.V252;

    private final NativeTools tools;

    public Composer(NativeTools tools) {
        this.tools = tools;
    }

    /** An image (or tree) read in userspace, the tools allowed (docs/cli.md §1.5). */
    private ImageFileSystem open(Path image) throws SysextctlException {
        return new ImageAccess(tools).open(ImageRequest.file(image, AccessPolicy.USERSPACE_OR_TOOL)).opened().fs();
    }

    public ComposeReport compose(ComposeRequest r) throws SysextctlException {
        if (r.extensions().isEmpty()) {
            throw new UsageException("no extension given; name the base and at least one extension image");
        }
        List<OverlayTree.Layer> layers = new ArrayList<>();
        try {
            ImageFileSystem base = open(r.base());
            layers.add(new OverlayTree.Layer(OverlayTree.BASE, base));
            if (base.lstat("usr").map(e -> e.type() != EntryType.DIRECTORY).orElse(true)) {
                throw new UsageException(r.base() + " holds no usr/ directory; give a tree or image whose top holds "
                        + "usr/ (and maybe opt/)");
            }
            ReleaseFile osRelease = osRelease(r, base);
            TargetOs target = TargetOs.fromOsRelease(osRelease);
            String targetText = target.describe() + " from " + (r.osRelease() != null ? r.osRelease().toString()
                    : r.base() + " (its os-release)");
            List<ComposedLayer> described = new ArrayList<>();
            described.add(new ComposedLayer(OverlayTree.BASE, r.base().toString(), null, null, present(base)));
            List<Accepted> accepted = check(r, target);
            for (Accepted a : accepted) {
                ImageFileSystem fs = open(a.image());
                layers.add(new OverlayTree.Layer(a.verdict().name(), fs));
                described.add(new ComposedLayer(a.verdict().name(), a.image().toString(), a.verdict().rule(),
                        a.verdict().explanation(), present(fs)));
            }
            List<String> notes = new ArrayList<>();
            List<OverlayTree.Merged> entries = new ArrayList<>();
            List<PathChange> changes = new ArrayList<>();
            List<Conflict> conflicts = new ArrayList<>();
            for (String h : HIERARCHIES) {
                OverlayTree tree = OverlayTree.merge(h, layers);
                entries.addAll(tree.entries());
                changes.addAll(tree.changes());
                conflicts.addAll(tree.conflicts());
            }
            for (int i = 1; i < layers.size(); i++) {
                for (TreeEntry top : layers.get(i).fs().list("")) {
                    if (!HIERARCHIES.contains(top.name())) {
                        notes.add(layers.get(i).name() + ": " + top.name() + " left out: systemd-sysext merges only "
                                + "usr/ and opt/");
                    }
                }
            }
            TreeImageWriter.Written written = new TreeImageWriter(tools).write(sink -> {
                for (OverlayTree.Merged m : entries) {
                    TreeEntry e = finalEntry(m, layers);
                    if (e.type() != EntryType.FILE) {
                        sink.add(e, null);
                        continue;
                    }
                    try (InputStream content = open(m, layers)) {
                        sink.add(e, content); // streamed: a file of gigabytes never sits in memory
                    }
                }
            }, r.format(), null, 0, r.output(), r.force());
            return new ComposeReport(r.output().toAbsolutePath().normalize().toString(), r.format().cliName(),
                    written.sha256(), entries.size(), targetText, described, changes, conflicts, notes);
        } finally {
            layers.forEach(l -> l.fs().close());
        }
    }

    private record Accepted(Path image, ImageVerdict verdict) {
    }

    /** Every extension judged as {@code validate} judges it; in layer order. */
    private List<Accepted> check(ComposeRequest r, TargetOs target) throws SysextctlException {
        ImageValidator validator = new ImageValidator(tools);
        List<Accepted> out = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path image : r.extensions()) {
            ImageVerdict v = validator.validate(image, null, target, RULES);
            if (v.rule().equals(RuleId.UNREADABLE.id())) {
                throw new OperationFailedException(image + " cannot be read: " + v.explanation());
            }
            if (v.name() == null) {
                throw new UsageException(image + " is not an extension systemd-sysext would use: " + v.explanation());
            }
            if (!v.accepted() && !r.force()) {
                throw new RefusedException("extension " + v.name() + " (" + image + ") is refused [" + v.rule()
                        + "]: " + v.explanation() + "; rebuild it for the base, or pass --force to compose it anyway");
            }
            Path other = names.put(v.name(), image);
            if (other != null) {
                throw new UsageException(other + " and " + image + " are both extension " + v.name()
                        + " (systemd-sysext would use only one); give one of them");
            }
            out.add(new Accepted(image, v));
        }
        out.sort(Comparator.comparing(a -> a.verdict().name(), Planner.LAYER_ORDER));
        return out;
    }

    /** {@code --os-release FILE}, or the base's etc/os-release, or its usr/lib/os-release (systemd's order). */
    private static ReleaseFile osRelease(ComposeRequest r, ImageFileSystem base) throws SysextctlException {
        if (r.osRelease() != null) {
            if (!Files.isRegularFile(r.osRelease())) {
                throw new UsageException("--os-release " + r.osRelease() + " is not a file; give an os-release file");
            }
            return OsReleaseFiles.read(r.osRelease());
        }
        for (String p : List.of("etc/os-release", "usr/lib/os-release")) {
            Optional<TreeEntry> e = base.lstat(p);
            if (e.isPresent() && e.get().type() == EntryType.FILE) {
                return OsReleaseFiles.parse(base.read(p, 64 * 1024), r.base() + "/" + p);
            }
        }
        throw new UsageException(r.base() + " has no usr/lib/os-release to check the extensions against; give "
                + "--os-release FILE");
    }

    private static List<String> present(ImageFileSystem fs) throws OperationFailedException {
        List<String> out = new ArrayList<>();
        for (String h : HIERARCHIES) {
            if (fs.lstat(h).map(e -> e.type() == EntryType.DIRECTORY).orElse(false)) {
                out.add(h);
            }
        }
        return out;
    }

    /**
     * The entry as the composed image holds it: time 0, no overlay xattrs, a hard link as the file it links to
     * (the link's partner may be hidden or in another layer).
     */
    private static TreeEntry finalEntry(OverlayTree.Merged m, List<OverlayTree.Layer> layers)
            throws OperationFailedException {
        TreeEntry e = m.entry().withMtime(0);
        if (e.type() == EntryType.HARDLINK) {
            TreeEntry link = e;
            TreeEntry target = layers.get(m.layer()).fs().lstat(link.linkTarget()).orElseThrow(() ->
                    new OperationFailedException(link.path() + " is a hard link to " + link.linkTarget() + ", which "
                            + "the " + layers.get(m.layer()).name() + " image does not hold; rebuild that image"));
            e = new TreeEntry(link.path(), EntryType.FILE, target.mode(), target.uid(), target.gid(), target.size(),
                    null, 0, 0, 0, target.xattrs());
        }
        Map<String, String> x = new LinkedHashMap<>(e.xattrs());
        x.keySet().removeIf(k -> k.startsWith("trusted.overlay."));
        return e.withXattrs(x);
    }

    private static InputStream open(OverlayTree.Merged m, List<OverlayTree.Layer> layers)
            throws OperationFailedException {
        TreeEntry e = m.entry();
        String path = e.type() == EntryType.HARDLINK ? e.linkTarget() : e.path();
        return layers.get(m.layer()).fs().open(path);
    }
}
