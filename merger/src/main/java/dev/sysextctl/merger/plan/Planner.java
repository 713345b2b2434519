package dev.sysextctl.merger.plan;

import dev.sysextctl.core.compat.CompatibilityRules;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.compat.Verdict;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.image.ddi.MergeAdmission;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.version.VersionComparator;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.mount.Workspace;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Judges discovered images and plans the overlays: the DDIs the image policy refuses (docs/ddi.md §7), the
 * empty-directory mask (docs/compatibility.md §1.4), broken images (§2.1, which systemd 252 aborts on and sysextctl
 * skips), forbidden content (§3), compatibility (§2.4, skipped by {@code --force} as in §2.6), the layer order
 * (§4.2) and which hierarchies get an overlay (§4.3).
 */
public final class Planner {
    private static final String RULE_MASK = RuleId.MASK.id();
    private static final String RULE_SHADOWED = RuleId.SHADOWED.id();
    private static final String RULE_UNREADABLE = RuleId.UNREADABLE.id();
    private static final String RULE_NO_RELEASE_FILE = RuleId.NO_RELEASE_FILE.id();
    private static final String RULE_NOT_UNIQUE = RuleId.RELEASE_NOT_UNIQUE.id();
    private static final String RULE_OS_RELEASE = RuleId.OS_RELEASE_IN_IMAGE.id();
    private static final String RULE_NESTED = RuleId.NESTED_LAYER.id();
    private static final String RULE_FORCE = RuleId.FORCE.id();
    private static final String RULE_NO_TARGET = RuleId.NO_OS_RELEASE.id();
    public static final String FORBIDDEN_MESSAGE = "Extension image contains /usr/lib/os-release file, which is not "
            + "allowed (it may carry /etc/os-release), refusing.";

    private Planner() {
    }

    /** The node's target OS, or the reason it has none (then every image is incompatible). */
    public record Target(TargetOs os, String problem) {
        public static Target of(Node node) {
            try {
                return new Target(node.targetOs(), null);
            } catch (OperationFailedException e) {
                return new Target(null, e.getMessage());
            }
        }
    }

    /** Every entry of the discovery judged, in discovery order. Entries without an inspection are not read. */
    public static List<ImageAssessment> assess(Node node, Discovery discovery, Map<ImageEntry, ImageInspection> read,
            Target target, boolean force) throws OperationFailedException {
        return assess(node, discovery, read, target, force, Map.of());
    }

    /** As above, with the entries the image policy refuses ({@link PolicyGate}), which are {@code REFUSED}. */
    public static List<ImageAssessment> assess(Node node, Discovery discovery, Map<ImageEntry, ImageInspection> read,
            Target target, boolean force, Map<ImageEntry, MergeAdmission.Refused> refused)
            throws OperationFailedException {
        Map<String, ImageEntry> winners = discovery.winners();
        List<ImageAssessment> out = new ArrayList<>();
        for (ImageEntry e : discovery.images()) {
            ImageEntry w = winners.get(e.name());
            ImageInspection in = read.get(e);
            if (w != e) {
                ImageAssessment own = judge(node, e, in, target, force, refused.get(e));
                boolean masked = isMask(w);
                out.add(new ImageAssessment(e, masked ? ImageState.MASKED : ImageState.SHADOWED, w.path(),
                        own.compatible(), masked ? RULE_MASK : RULE_SHADOWED,
                        (masked ? "masked by " + w.path() + " (an empty directory found first)"
                                : "shadowed by " + w.path() + ", found first")
                                + (own.reason() == null ? "" : "; on its own: " + own.reason()),
                        null, in));
                continue;
            }
            if (isMask(e)) {
                out.add(new ImageAssessment(e, ImageState.MASKED, null, false, RULE_MASK,
                        "an empty directory: masks every image named '" + e.name()
                                + "' in lower-priority directories",
                        "Extension '" + e.name() + "' carries no extension-release data, ignoring extension.", in));
                continue;
            }
            out.add(judge(node, e, in, target, force, refused.get(e)));
        }
        return out;
    }

    private static ImageAssessment judge(Node node, ImageEntry e, ImageInspection in, Target target, boolean force,
            MergeAdmission.Refused refused) throws OperationFailedException {
        if (refused != null) {
            return new ImageAssessment(e, ImageState.REFUSED, null, false, refused.rule(), refused.reason(),
                    refused.systemdMessage(), in);
        }
        if (in == null) {
            return new ImageAssessment(e, ImageState.ACTIVE, null, null, null, null, null, null);
        }
        if (in instanceof ImageInspection.NeedsRoot n) {
            return new ImageAssessment(e, ImageState.ACTIVE, null, null, RULE_UNREADABLE, n.reason(), null, in);
        }
        if (in instanceof ImageInspection.Unreadable u) {
            return broken(e, in, RULE_UNREADABLE, u.reason(), u.systemdError());
        }
        ImageInspection.Readable read = (ImageInspection.Readable) in;
        ReleaseLookup lookup = read.release();
        if (in.systemdError() != null) {
            boolean notUnique = lookup.status() == ReleaseLookup.Status.NOT_UNIQUE;
            return broken(e, in, notUnique ? RULE_NOT_UNIQUE : RULE_NO_RELEASE_FILE,
                    (notUnique ? "several extension-release files qualify (" : "no usable extension-release ("
                    ) + lookup.detail() + "); systemd-sysext aborts the whole merge on such a "
                    + e.type().systemdName() + " image", in.systemdError());
        }
        String nested = nestedIn(node, e);
        if (nested != null) {
            return broken(e, in, RULE_NESTED, "a directory extension inside " + nested
                    + ", which is merged itself: overlayfs refuses such nested layers (ELOOP; systemd-sysext then "
                    + "merges nothing); move it to /var/lib/extensions", null);
        }
        if (read.forbiddenOsRelease() && !force) {
            return broken(e, in, RULE_OS_RELEASE, "the image contains usr/lib/os-release, which systemd refuses "
                    + "(252 then merges nothing at all); remove it from the image (use --force to merge anyway)",
                    FORBIDDEN_MESSAGE);
        }
        if (force) {
            return new ImageAssessment(e, ImageState.ACTIVE, null, true, RULE_FORCE,
                    "--force: compatibility checks skipped", null, in);
        }
        if (target.os() == null) {
            return new ImageAssessment(e, ImageState.ACTIVE, null, false, RULE_NO_TARGET, target.problem(), null, in);
        }
        ReleaseFile release = lookup.found() ? lookup.release() : ReleaseFile.EMPTY;
        Verdict v = CompatibilityRules.validate(e.name(), release, target.os(), node.systemdVersion(),
                node.extensionClass());
        String reason = v.explanation();
        if (!lookup.found()) {
            reason = reason + " (" + lookup.detail() + ")";
        } else if (lookup.status() != ReleaseLookup.Status.FOUND) {
            reason = reason + " (extension-release from " + lookup.path() + ", "
                    + (lookup.status() == ReleaseLookup.Status.FOUND_BY_XATTR ? "marked "
                    + "user.extension-release.strict=0" : "matched by its name cut at '_'") + ")";
        }
        return new ImageAssessment(e, ImageState.ACTIVE, null, v.accepted(), v.rule(), reason, v.systemdMessage(),
                in);
    }

    private static ImageAssessment broken(ImageEntry e, ImageInspection in, String rule, String reason,
            String systemdMessage) {
        return new ImageAssessment(e, ImageState.BROKEN, null, false, rule, reason, systemdMessage, in);
    }

    /** The hierarchy a directory extension lies in, when it lies inside one (null otherwise). */
    static String nestedIn(Node node, ImageEntry e) throws OperationFailedException {
        if (e.type() != ImageType.DIRECTORY) {
            return null;
        }
        for (String h : node.hierarchies()) {
            Path target = node.resolve(h);
            if (e.source().startsWith(target) && !e.source().equals(target)) {
                return h;
            }
        }
        return null;
    }

    /** An empty directory entry: systemd's mask (§1.4). */
    public static boolean isMask(ImageEntry e) {
        return e.type() == ImageType.DIRECTORY && isEmptyDirectory(e.source());
    }

    public static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The order of layers: ascending {@code strverscmp_improved}, equal keys by byte order. A class rather than
     * {@code thenComparing}, whose lambda inside {@code java.util.Comparator} is spun at run time in every run that
     * plans ({@code list}, {@code merge}).
     */
    public static final Comparator<String> LAYER_ORDER = new Comparator<>() {
        @Override
        public int compare(String a, String b) {
            int c = VersionComparator.INSTANCE.compare(a, b);
            return c != 0 ? c : a.compareTo(b);
        }
    };

    /** Assessments by name in {@link #LAYER_ORDER} (a class: see there). */
    private static final Comparator<ImageAssessment> BY_NAME = new Comparator<>() {
        @Override
        public int compare(ImageAssessment a, ImageAssessment b) {
            return LAYER_ORDER.compare(a.name(), b.name());
        }
    };

    /**
     * The overlays for the usable winners.
     *
     * @param mountPath where each image is (or will be) mounted in the workspace
     */
    public static MergePlan plan(Node node, List<ImageAssessment> assessments,
            Function<ImageEntry, String> mountPath) throws OperationFailedException {
        List<ImageAssessment> used = new ArrayList<>();
        List<ImageAssessment> ignored = new ArrayList<>();
        int ignoredWinners = 0;
        for (ImageAssessment a : assessments) {
            if (a.usable()) {
                used.add(a);
            } else {
                ignored.add(a);
                if (a.shadowedBy() == null) {
                    ignoredWinners++;
                }
            }
        }
        used.sort(BY_NAME);
        List<String> names = used.stream().map(ImageAssessment::name).toList();
        List<HierarchyPlan> hierarchies = new ArrayList<>();
        for (String h : node.hierarchies()) {
            List<Layer> layers = new ArrayList<>();
            layers.add(new Layer(Layer.Kind.META, null, Workspace.meta(h)));
            for (int i = used.size() - 1; i >= 0; i--) {
                ImageAssessment a = used.get(i);
                String rel = ((ImageInspection.Readable) a.inspection()).hierarchies().get(h);
                if (rel != null) {
                    layers.add(new Layer(Layer.Kind.EXTENSION, a.name(),
                            mountPath.apply(a.entry()) + (rel.isEmpty() ? "" : "/" + rel)));
                }
            }
            if (layers.size() == 1) {
                continue;
            }
            Path target = node.resolve(h);
            boolean exists = Files.isDirectory(target);
            if (exists && !isEmptyDirectory(target)) {
                layers.add(new Layer(Layer.Kind.HOST, null, target.toString()));
            }
            hierarchies.add(new HierarchyPlan(h, target.toString(), layers, !exists));
        }
        return new MergePlan(names, hierarchies, ignored, ignoredWinners);
    }
}
