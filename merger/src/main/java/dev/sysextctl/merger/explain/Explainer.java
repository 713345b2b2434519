package dev.sysextctl.merger.explain;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.DdiSummary;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.merger.discovery.IgnoredEntry;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.mount.MergeMarkers;
import dev.sysextctl.merger.mount.MountStep;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.ImageState;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.plan.Planner;
import dev.sysextctl.merger.status.HierarchyStatus;
import dev.sysextctl.merger.status.ListedImage;
import dev.sysextctl.merger.status.NodeSnapshot;
import dev.sysextctl.merger.status.StatusReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code explain NAME}: where NAME was found, what shadows or masks it, which rule refuses it, where it sits in
 * the layer order, and (as root) which files it overrides in the base OS or in other extensions, read from the
 * mounted images and the hierarchy without any merge on it.
 */
public final class Explainer {
    static final int MAX_PATHS = 5000;

    private Explainer() {
    }

    public static Explanation explain(Node node, String name, Mounter mounter, Unsquashfs unsquashfs, boolean mount)
            throws OperationFailedException {
        Set<String> mergedNow = new HashSet<>();
        for (HierarchyStatus s : StatusReader.read(node)) {
            mergedNow.addAll(s.extensions());
        }
        boolean merged = mergedNow.contains(name);
        try (NodeSnapshot snap = NodeSnapshot.read(node, mounter, unsquashfs, mount,
                e -> true)) {
            List<ListedImage> entries = new ArrayList<>();
            ImageAssessment winner = null;
            for (ImageAssessment a : snap.assessments) {
                if (a.name().equals(name)) {
                    boolean isWinner = snap.discovery.isWinner(a.entry());
                    entries.add(ListedImage.of(a, merged && isWinner, node.extensionClass()));
                    if (isWinner) {
                        winner = a;
                    }
                }
            }
            var ignored = snap.discovery.ignoredNamed(name);
            if (winner == null) {
                List<String> similar = similar(name, snap.discovery.winners().keySet());
                Optional<IgnoredEntry> disabling = ignored.stream().filter(e -> isDisableLink(node, e)).findFirst();
                String none = disabling.isPresent() ? "disabled: " + disabling.get().path() + " -> "
                        + ExtensionConfig.DEV_NULL + " hides it from " + disabling.get().searchDir() + ", and no other "
                        + "image named '" + name + "' is in " : "no image named '" + name + "' in ";
                return new Explanation(name, merged ? "merged-stale" : "absent", none
                        + String.join(", ", snap.discovery.searchDirs()) + (ignored.isEmpty() ? ""
                        : " (" + ignored.size() + " entr" + (ignored.size() == 1 ? "y is" : "ies are")
                        + " not an image: " + ignored.get(0).reason() + ")") + (merged ? "; it is still merged from "
                        + "before, the next refresh removes it" : ""), merged, entries, ignored, null, null,
                        List.of(), List.of(), List.of(), List.of(), List.of(), null, similar, null);
            }
            MergePlan plan = Planner.plan(node, snap.assessments, snap.mountPath);
            boolean usable = winner.usable();
            String state;
            String summary;
            if (usable) {
                state = merged ? "merged" : "will-merge";
                summary = merged ? "merged from " + winner.path()
                        : "not merged now; the next merge or refresh merges it from " + winner.path();
            } else {
                state = merged ? "merged-stale" : "not-merged";
                String why = switch (winner.state()) {
                    case MASKED -> "masked: " + winner.reason();
                    case BROKEN -> "broken: " + winner.reason();
                    case REFUSED -> "refused (" + winner.rule() + "): " + winner.reason();
                    default -> winner.compatible() == null ? "not checked: " + winner.reason()
                            : "incompatible (" + winner.rule() + "): " + winner.reason();
                };
                summary = (merged ? "merged now, but the next refresh drops it, " : "not merged, ") + why;
            }
            ImageInspection.Readable in = winner.inspection() instanceof ImageInspection.Readable r ? r : null;
            String releaseFile = in != null && in.release().found() ? in.release().path() : null;
            Map<String, String> release = releaseFile != null ? in.release().release().fields() : Map.of();
            List<String> hierarchies = in == null ? List.of() : List.copyOf(in.hierarchies().keySet());
            List<String> above = new ArrayList<>();
            List<String> below = new ArrayList<>();
            for (String other : usable ? plan.extensions() : List.<String>of()) {
                if (other.equals(name)) {
                    continue;
                }
                if (Planner.LAYER_ORDER.compare(other, name) > 0) {
                    above.add(other);
                } else {
                    below.add(0, other);
                }
            }
            List<FileOverride> overrides = new ArrayList<>();
            List<FileOverride> overriddenBy = new ArrayList<>();
            String note = null;
            if (winner.state() == ImageState.MASKED || in == null) {
                note = "the image could not be read";
            } else if (winner.state() == ImageState.REFUSED) {
                note = "the image policy refuses it, so it is not mounted and not compared with the other images";
            } else if (snap.session == null) {
                note = "run as root to see which files it overrides (the images are mounted to be compared)";
            } else {
                overrides(node, snap, winner, plan, overrides, overriddenBy);
            }
            return new Explanation(name, state, summary, merged, entries, ignored, releaseFile, release, hierarchies,
                    above, below, overrides, overriddenBy, note, List.of(), ddi(node, winner));
        }
    }

    private static void overrides(Node node, NodeSnapshot snap, ImageAssessment me, MergePlan plan,
            List<FileOverride> overrides, List<FileOverride> overriddenBy) throws OperationFailedException {
        for (String h : node.hierarchies()) {
            Path target = node.resolve(h);
            Path seen = snap.session.view(target.toString());
            for (int i = 0; i < 32 && MergeMarkers.isOurs(seen, snap.session.viewedMounts(), node.extensionClass());
                    i++) {
                snap.session.run(MountStep.of("reveal" + h + i, "umount", "--lazy", target.toString()));
            }
        }
        Map<String, ImageAssessment> byName = new java.util.HashMap<>();
        for (ImageAssessment a : snap.assessments) {
            if (snap.discovery.isWinner(a.entry())) {
                byName.put(a.name(), a);
            }
        }
        for (Map.Entry<String, String> h : hierarchies(me).entrySet()) {
            Path mine = tree(snap, me.entry(), h.getValue());
            Path base = snap.session.view(node.resolve(h.getKey()).toString());
            List<Path> files = nonDirectories(mine);
            for (Path rel : files) {
                String shown = h.getKey() + "/" + rel;
                if (Files.exists(base.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                    overrides.add(new FileOverride(shown, FileOverride.BASE));
                }
                for (String other : plan.extensions()) {
                    ImageAssessment o = byName.get(other);
                    if (other.equals(me.name()) || o == null) {
                        continue;
                    }
                    String oh = hierarchies(o).get(h.getKey());
                    if (oh == null || !Files.exists(tree(snap, o.entry(), oh).resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    if (Planner.LAYER_ORDER.compare(other, me.name()) > 0) {
                        overriddenBy.add(new FileOverride(shown, other));
                    } else {
                        overrides.add(new FileOverride(shown, other));
                    }
                }
            }
        }
    }

    /**
     * What a DDI is made of (docs/ddi.md §5), with the root hash given beside its entry in the search directory when it
     * has verity (§6), or null for other images and DDIs that cannot be read.
     */
    private static DdiSummary ddi(Node node, ImageAssessment a) {
        if (a.inspection() == null || a.inspection().format() != ImageFormat.GPT || a.type() != ImageType.RAW) {
            return null;
        }
        try {
            DdiImage ddi = DdiImage.open(a.entry().source());
            DdiSummary summary = DdiSummary.of(ddi);
            if (ddi.verity().isEmpty()) {
                return summary;
            }
            Path entry = node.resolve(a.entry().searchDir()).resolve(Path.of(a.entry().path()).getFileName()
                    .toString());
            return summary.withRootHashGiven(DdiSummary.GivenRootHash.find(entry, a.entry().source(), ddi,
                    p -> node.onNode(Path.of(p))));
        } catch (OperationFailedException e) {
            return null;
        }
    }

    private static Path tree(NodeSnapshot snap, ImageEntry e, String rel) {
        Path root = snap.session.view(snap.mountPath.apply(e));
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** The hierarchies an image read has content in (none when it was not read). */
    private static Map<String, String> hierarchies(ImageAssessment a) {
        return a.inspection() instanceof ImageInspection.Readable r ? r.hierarchies() : Map.of();
    }

    private static List<Path> nonDirectories(Path root) throws OperationFailedException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).limit(MAX_PATHS)
                    .forEach(p -> out.add(root.relativize(p)));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new OperationFailedException("cannot walk " + root + ": " + e.getMessage());
        }
        out.sort(null);
        return out;
    }

    /** Names close to {@code name} (same ignoring case, one contains the other, or one edit apart). */
    static List<String> similar(String name, Set<String> names) {
        List<String> out = new ArrayList<>();
        String n = name.toLowerCase(Locale.ROOT);
        for (String c : names) {
            String l = c.toLowerCase(Locale.ROOT);
            if (l.equals(n) || l.contains(n) || n.contains(l) || distance(l, n) <= 2) {
                out.add(c);
            }
        }
        out.sort(null);
        return out;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Whether an ignored entry is a link to {@code /dev/null} (the disabling form, docs/compatibility.md §1.4). */
    private static boolean isDisableLink(Node node, IgnoredEntry e) {
        try {
            Path p = node.resolve(e.searchDir()).resolve(Path.of(e.path()).getFileName().toString());
            return Files.isSymbolicLink(p) && ExtensionConfig.isDisableTarget(Files.readSymbolicLink(p).toString());
        } catch (IOException | OperationFailedException ex) {
            return false;
        }
    }
}
