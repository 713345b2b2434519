package dev.sysextctl.merger.engine;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.merger.mount.DevNumber;
import dev.sysextctl.merger.mount.MergeMarkers;
import dev.sysextctl.merger.mount.MountStep;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.OverlayOptions;
import dev.sysextctl.merger.mount.StepResult;
import dev.sysextctl.merger.mount.Workspace;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.HierarchyPlan;
import dev.sysextctl.merger.plan.Layer;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.plan.Planner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out a {@link MergePlan} in a {@link NamespaceSession} whose images are already mounted, in
 * systemd-sysext's order (docs/compatibility.md §4.1, §4.4): meta layers, the previous merge removed, one read-only overlay per
 * hierarchy, the {@code dev} marker and the meta mtime, then a bind mount onto each hierarchy that propagates to
 * the caller. The previous merge of each hierarchy is kept (bound in the workspace) until the new overlays are
 * in place; if they cannot be mounted, it is put back, so a failed refresh leaves the old merge.
 */
final class MergeExecution {
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"));
    private static final int MAX_STACK = 32;

    private final NamespaceSession session;
    private final Node node;
    private final MergePlan plan;
    private final Clock clock;
    private final List<String> messages;
    private final List<String> unmerged = new ArrayList<>();
    private final Map<String, Path> saved = new LinkedHashMap<>();
    private int aliases;
    private int step;

    MergeExecution(NamespaceSession session, Node node, MergePlan plan, Clock clock, List<String> messages) {
        this.session = session;
        this.node = node;
        this.plan = plan;
        this.clock = clock;
        this.messages = messages;
    }

    List<String> unmerged() {
        return unmerged;
    }

    List<MergedHierarchy> run() throws OperationFailedException {
        for (HierarchyPlan hp : plan.hierarchies()) {
            writeMeta(hp);
        }
        unmergePrevious();
        List<HierarchyPlan> planned = new ArrayList<>();
        Map<String, List<String>> layers = new LinkedHashMap<>();
        for (HierarchyPlan hp : plan.hierarchies()) {
            HierarchyPlan actual = withCurrentHostLayer(hp);
            planned.add(actual);
            layers.put(actual.hierarchy(), aliased(actual.lowerDirs()));
        }
        List<MountStep> overlays = new ArrayList<>();
        for (HierarchyPlan hp : planned) {
            mkdirs(Workspace.overlay(hp.hierarchy()));
            overlays.add(overlayStep(hp.hierarchy(), layers.get(hp.hierarchy())));
        }
        Map<String, StepResult> r = session.run(overlays);
        for (StepResult s : r.values()) {
            if (!s.succeeded()) {
                String restored = restorePrevious();
                throw new OperationFailedException("Failed to mount " + node.extensionClass().overlaySource()
                        + " (type overlay) on "
                        + Workspace.overlay(s.id().substring("overlay".length())) + ": " + s.message()
                        + restored + "; see the kernel log (dmesg) for overlayfs' reason");
            }
        }
        List<MergedHierarchy> merged = new ArrayList<>();
        for (HierarchyPlan hp : planned) {
            DevNumber dev = MergeMarkers.stDev(session.view(Workspace.overlay(hp.hierarchy())));
            Path meta = session.view(Workspace.meta(hp.hierarchy()));
            write(MergeMarkers.directory(meta, node.extensionClass()).resolve(MergeMarkers.DEV), dev + "\n");
            try {
                Files.setLastModifiedTime(meta, FileTime.from(clock.instant()));
            } catch (IOException e) {
                throw new OperationFailedException("cannot set the mtime of " + Workspace.meta(hp.hierarchy())
                        + ": " + e.getMessage());
            }
            merged.add(new MergedHierarchy(hp.hierarchy(), hp.target(), dev.toString()));
        }
        List<MountStep> binds = new ArrayList<>();
        for (HierarchyPlan hp : planned) {
            Path target = Path.of(hp.target());
            if (!Files.isDirectory(target)) {
                try {
                    Files.createDirectories(target, DIR_MODE);
                } catch (IOException e) {
                    restorePrevious();
                    throw new OperationFailedException("cannot create the mount point " + hp.target() + ": "
                            + e.getMessage() + "; check that the root is writable");
                }
            }
            binds.add(MountStep.of("bind" + hp.hierarchy(), "mount", "--bind", Workspace.overlay(hp.hierarchy()),
                    hp.target()));
        }
        r = session.run(binds);
        for (StepResult s : r.values()) {
            if (!s.succeeded()) {
                for (HierarchyPlan hp : planned) {
                    StepResult b = r.get("bind" + hp.hierarchy());
                    if (b.succeeded()) {
                        session.run(MountStep.of("undo" + (++step), "umount", "--lazy", hp.target()));
                    }
                }
                String restored = restorePrevious();
                throw new OperationFailedException("cannot bind the merged overlay onto "
                        + s.id().substring("bind".length()) + ": " + s.message() + restored);
            }
        }
        return merged;
    }

    private void writeMeta(HierarchyPlan hp) throws OperationFailedException {
        ExtensionClass c = node.extensionClass();
        Path dir = MergeMarkers.directory(session.view(Workspace.meta(hp.hierarchy())), c);
        mkdirs(Workspace.meta(hp.hierarchy()) + "/" + c.markerDirectory());
        write(dir.resolve(c.plural()), String.join("\n", plan.extensions()) + "\n");
    }

    /** Removes sysext merges (ours or systemd's) from every configured hierarchy, keeping the top one of each. */
    private void unmergePrevious() throws OperationFailedException {
        for (String h : node.hierarchies()) {
            Path target = node.resolve(h);
            Path seen = session.view(target.toString());
            if (!MergeMarkers.isOurs(seen, viewTable(), node.extensionClass())) {
                continue;
            }
            mkdirs(Workspace.saved(h));
            StepResult keep = session.run(MountStep.of("save" + (++step), "mount", "--bind", target.toString(),
                    Workspace.saved(h)));
            if (keep.succeeded()) {
                saved.put(h, target);
            }
            for (int i = 0; i < MAX_STACK && MergeMarkers.isOurs(seen, viewTable(), node.extensionClass());
                    i++) {
                StepResult u = session.run(MountStep.of("umount" + (++step), "umount", "--lazy", target.toString()));
                if (!u.succeeded()) {
                    String restored = restorePrevious();
                    throw new OperationFailedException("cannot unmount the previous merge of " + target + ": "
                            + u.message() + restored + "; check what keeps it busy");
                }
            }
            unmerged.add(target.toString());
            messages.add("Unmerged '" + target + "'.");
        }
    }

    private MountTable viewTable() throws OperationFailedException {
        return session.viewedMounts();
    }

    /** The host layer as it is now that the previous merge is gone: kept only when the hierarchy has content. */
    private HierarchyPlan withCurrentHostLayer(HierarchyPlan hp) {
        List<Layer> layers = new ArrayList<>();
        for (Layer l : hp.layers()) {
            if (l.kind() != Layer.Kind.HOST) {
                layers.add(l);
            }
        }
        if (Planner.isEmptyDirectory(session.view(hp.target())) || !Files.isDirectory(session.view(hp.target()))) {
            return new HierarchyPlan(hp.hierarchy(), hp.target(), layers, hp.createsMountPoint());
        }
        layers.add(new Layer(Layer.Kind.HOST, null, hp.target()));
        return new HierarchyPlan(hp.hierarchy(), hp.target(), layers, hp.createsMountPoint());
    }

    /**
     * The mount of {@code hp}'s overlay. systemd-sysext writes every layer as an absolute path, so with some 90
     * extensions or more its options outgrow the one page mount(2) takes and it merges nothing (measured on 252
     * with 200 images: "Failed to mount sysext (type overlay)", exit 0). Then, and only then, the layers are
     * written relative to {@code /run/systemd/sysext/extensions} and mount runs there; the merge is the same
     * (the markers, the layer order, what each path shows), only {@code lowerdir=} in the mount table reads
     * relative. Past that, a clear refusal.
     */
    private MountStep overlayStep(String hierarchy, List<String> lowerDirs) throws OperationFailedException {
        String id = "overlay" + hierarchy;
        String target = Workspace.overlay(hierarchy);
        String flags = flags();
        String source = node.extensionClass().overlaySource();
        String options = flags + OverlayOptions.readOnly(lowerDirs);
        if (OverlayOptions.fits(options)) {
            return MountStep.of(id, "mount", "-t", "overlay", "-o", options, source, target);
        }
        String base = Workspace.ROOT + "/" + node.extensionClass().plural();
        String compact = flags + OverlayOptions.readOnly(OverlayOptions.relativeTo(base, lowerDirs));
        if (!OverlayOptions.fits(compact)) {
            String restored = restorePrevious();
            throw new OperationFailedException("cannot merge " + lowerDirs.size() + " layers into " + hierarchy
                    + " in one overlay: their paths need " + (compact.length() - 3) + " bytes of mount options "
                    + "and the kernel takes at most " + OverlayOptions.MAX_DATA + "; disable some extensions "
                    + "(sysextctl disable NAME) or give them shorter names" + restored);
        }
        return MountStep.of(id, "sh", "-c", "cd -- \"$1\" && exec mount -t overlay -o \"$2\" \"$4\" \"$3\"",
                "sh", base, compact, target, source);
    }

    /**
     * The mount flags of the node's class before {@code ro,lowerdir=…}: none for a sysext, {@code nosuid,nodev,noexec,}
     * for a confext, as systemd-confext 257 mounts {@code /etc} (docs/compatibility.md §4.5).
     */
    private String flags() {
        List<String> f = node.extensionClass().mountFlags();
        return f.isEmpty() ? "" : String.join(",", f) + ",";
    }

    /** Layer paths, with those that cannot travel in a mount option bound to a plain alias first. */
    private List<String> aliased(List<String> dirs) throws OperationFailedException {
        List<String> out = new ArrayList<>();
        for (String d : dirs) {
            if (!OverlayOptions.needsAlias(d)) {
                out.add(d);
                continue;
            }
            String alias = Workspace.alias(++aliases);
            mkdirs(alias);
            StepResult r = session.run(MountStep.of("alias" + aliases, "mount", "--bind", d, alias));
            if (!r.succeeded()) {
                String restored = restorePrevious();
                throw new OperationFailedException("cannot bind " + d + " to " + alias + ": " + r.message() + restored);
            }
            out.add(alias);
        }
        return out;
    }

    /** Puts the kept previous merges back; returns a message fragment saying what happened. */
    private String restorePrevious() {
        if (saved.isEmpty()) {
            return "";
        }
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Path> e : saved.entrySet()) {
            try {
                StepResult r = session.run(MountStep.of("restore" + (++step), "mount", "--bind",
                        Workspace.saved(e.getKey()), e.getValue().toString()));
                if (!r.succeeded()) {
                    failed.add(e.getValue() + " (" + r.message() + ")");
                }
            } catch (OperationFailedException ex) {
                failed.add(e.getValue() + " (" + ex.getMessage() + ")");
            }
        }
        unmerged.clear();
        saved.clear();
        return failed.isEmpty() ? " (the previous merge was put back)"
                : " (the previous merge could not be put back on " + String.join(", ", failed) + ")";
    }

    private void mkdirs(String nsPath) throws OperationFailedException {
        try {
            Files.createDirectories(session.view(nsPath), DIR_MODE);
        } catch (IOException e) {
            throw new OperationFailedException("cannot create " + nsPath + " in the mount namespace: "
                    + e.getMessage());
        }
    }

    private static void write(Path p, String text) throws OperationFailedException {
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new OperationFailedException("cannot write " + p + ": " + e.getMessage());
        }
    }
}
