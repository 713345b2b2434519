package dev.sysextctl.merger.engine;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.inspect.NodeImages;
import dev.sysextctl.merger.mount.MergeMarkers;
import dev.sysextctl.merger.mount.MountEntry;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.Workspace;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.ImageState;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.plan.Planner;
import dev.sysextctl.merger.status.StatusReader;
import java.nio.file.Path;
import java.time.Clock;
import dev.sysextctl.core.image.ddi.MergeAdmission;
import dev.sysextctl.merger.plan.PolicyGate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * sysextctl's own merge engine: discovery, reading and planning in Java; the mounts in one helper shell in a
 * private mount namespace ({@link NamespaceSession}), laid out exactly as systemd-sysext lays them out, so
 * either tool recognises and unmerges the other's merges. Unlike systemd-sysext 252 it skips a broken image
 * instead of merging nothing, and a failed refresh keeps the previous merge.
 */
public final class NativeEngine {
    private static final int MAX_STACK = 32;
    private final Mounter mounter;
    private final Clock clock;

    public NativeEngine(Mounter mounter, Clock clock) {
        this.mounter = mounter;
        this.clock = clock;
    }

    /**
     * Discovers, mounts and reads the images and plans the merge. With {@code forMerge} the session can
     * propagate mounts to this namespace; otherwise nothing it mounts leaves it.
     */
    public PreparedMerge prepare(Node node, MergeOptions options, boolean forMerge, SymlinkPolicy symlinks)
            throws OperationFailedException {
        return prepare(node, options, forMerge, ImageDiscovery.discover(node, symlinks));
    }

    /**
     * {@link #prepare(Node, MergeOptions, boolean, SymlinkPolicy)} from a discovery already made (the caller's, which
     * chose the engine from it): the search directories are read once per command.
     */
    public PreparedMerge prepare(Node node, MergeOptions options, boolean forMerge, Discovery discovery)
            throws OperationFailedException {
        List<ImageEntry> toRead = new ArrayList<>();
        for (ImageEntry e : discovery.winners().values()) {
            if (!Planner.isMask(e)) {
                toRead.add(e);
            }
        }
        // the shell sets the workspace up while the policy and the images' headers are read (NamespaceSession#start)
        NamespaceSession session = NamespaceSession.start(mounter,
                forMerge ? Mounter.Propagation.UNCHANGED : Mounter.Propagation.SLAVE);
        try {
            PolicyGate gate = PolicyGate.of(options.imagePolicy(), node.root());
            Map<ImageEntry, MergeAdmission.Refused> refused = gate.refusals(toRead);
            List<ImageEntry> toMount = toRead.stream().filter(e -> !refused.containsKey(e)).toList();
            Map<ImageEntry, ImageInspection> read = new IdentityHashMap<>(NodeImages.mounted(session, node, toMount,
                    e -> Workspace.extension(node.extensionClass(), e.name())));
            session.ready();
            // what the policy refuses is never mounted; it is read in userspace for the reports
            read.putAll(NodeImages.unmounted(node, List.copyOf(refused.keySet()), null));
            List<ImageAssessment> assessments = Planner.assess(node, discovery, read, Planner.Target.of(node),
                    options.force(), refused);
            MergePlan plan = Planner.plan(node, assessments,
                    e -> Workspace.extension(node.extensionClass(), e.name()));
            return new PreparedMerge(discovery, assessments, plan, session, gate.policy().toString());
        } catch (OperationFailedException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Carries out a prepared merge or refresh (it closes it). */
    public MergeOutcome execute(Node node, PreparedMerge prepared, MergeAction action, String engineReason)
            throws OperationFailedException {
        boolean refresh = action == MergeAction.REFRESH;
        List<String> messages = new ArrayList<>();
        List<String> warnings = skipWarnings(prepared.plan(), prepared.imagePolicy());
        MergePlan plan = prepared.plan();
        try (prepared) {
            if (!refresh) {
                List<String> merged = mergedHierarchies(node);
                if (!merged.isEmpty()) {
                    throw new OperationFailedException("Hierarchy '" + merged.get(0) + "' is already merged; run "
                            + "'sysextctl refresh' to merge again, or 'sysextctl unmerge' first");
                }
            }
            node.targetOs();
            if (plan.isEmpty()) {
                messages.add(prepared.discovery().winners().isEmpty() ? "No extensions found."
                        : noneSuitable(plan, prepared.imagePolicy()));
                prepared.close();
                List<String> unmerged = refresh ? unmergeAll(node, messages) : List.of();
                return MergeOutcome.builder(action, EngineKind.NATIVE).engineReason(engineReason).plan(plan)
                        .unmerged(unmerged).status(StatusReader.read(node)).messages(messages).warnings(warnings)
                        .build();
            }
            checkPropagation(node, plan);
            messages.add("Using extensions " + plan.extensions().stream().map(n -> "'" + n + "'")
                    .collect(Collectors.joining(", ")) + ".");
            MergeExecution run = new MergeExecution(prepared.session(), node, plan, clock, messages);
            List<MergedHierarchy> merged = run.run();
            prepared.close();
            verifyVisible(node, merged);
            for (MergedHierarchy m : merged) {
                messages.add("Merged extensions into '" + m.target() + "'.");
            }
            return MergeOutcome.builder(action, EngineKind.NATIVE).engineReason(engineReason).plan(plan)
                    .merged(merged).unmerged(run.unmerged()).status(StatusReader.read(node)).messages(messages)
                    .warnings(warnings).build();
        }
    }

    /** A dry run: the plan, nothing mounted on the node. */
    public MergeOutcome dryRun(Node node, PreparedMerge prepared, MergeAction action, String engineReason)
            throws OperationFailedException {
        try (prepared) {
            List<String> messages = new ArrayList<>();
            List<String> warnings = skipWarnings(prepared.plan(), prepared.imagePolicy());
            List<String> merged = mergedHierarchies(node);
            if (!merged.isEmpty() && action == MergeAction.MERGE) {
                warnings.add("Hierarchy '" + merged.get(0) + "' is already merged: merge would fail; refresh would "
                        + "replace it");
            }
            return MergeOutcome.builder(action, EngineKind.NATIVE).engineReason(engineReason).dryRun(true)
                    .plan(prepared.plan()).status(StatusReader.read(node)).messages(messages).warnings(warnings)
                    .build();
        }
    }

    public MergeOutcome unmerge(Node node, MergeOptions options, String engineReason) throws OperationFailedException {
        List<String> messages = new ArrayList<>();
        List<String> unmerged;
        if (options.dryRun()) {
            unmerged = new ArrayList<>();
            for (String h : mergedHierarchies(node)) {
                unmerged.add(node.resolve(h).toString());
            }
        } else {
            unmerged = unmergeAll(node, messages);
        }
        return MergeOutcome.builder(MergeAction.UNMERGE, EngineKind.NATIVE).engineReason(engineReason)
                .dryRun(options.dryRun()).unmerged(unmerged).status(StatusReader.read(node)).messages(messages)
                .build();
    }

    /** Detaches every merge of the node's class stacked on each hierarchy, in this namespace (systemd's unmerge loop). */
    List<String> unmergeAll(Node node, List<String> messages) throws OperationFailedException {
        List<String> out = new ArrayList<>();
        for (String h : node.hierarchies()) {
            Path p = node.resolve(h);
            boolean any = false;
            for (int i = 0; i < MAX_STACK && MergeMarkers.isOurs(p, MountTable.self(), node.extensionClass()); i++) {
                mounter.unmountDetached(p);
                any = true;
            }
            if (any) {
                out.add(p.toString());
                messages.add("Unmerged '" + p + "'.");
            }
        }
        return out;
    }

    /** The configured hierarchies that carry a live merge now. */
    static List<String> mergedHierarchies(Node node) throws OperationFailedException {
        MountTable mounts = MountTable.self();
        List<String> out = new ArrayList<>();
        for (String h : node.hierarchies()) {
            if (MergeMarkers.isOurs(node.resolve(h), mounts, node.extensionClass())) {
                out.add(h);
            }
        }
        return out;
    }

    /** A bind onto the hierarchy reaches this namespace only when the mount holding it is shared. */
    private static void checkPropagation(Node node, MergePlan plan) throws OperationFailedException {
        MountTable mounts = MountTable.self();
        for (var hp : plan.hierarchies()) {
            Path target = Path.of(hp.target());
            Path at = target.getParent() == null ? target : target.getParent();
            MountEntry holder = mounts.containing(at);
            if (holder != null && !holder.isShared()) {
                throw new OperationFailedException("the mount holding " + hp.target() + " (" + holder.mountPoint()
                        + ") is private, so a merge made in a helper mount namespace would not be seen here; make "
                        + "it shared (mount --make-rshared " + holder.mountPoint() + "), as systemd does at boot");
            }
        }
    }

    private static void verifyVisible(Node node, List<MergedHierarchy> merged) throws OperationFailedException {
        MountTable mounts = MountTable.self();
        for (MergedHierarchy m : merged) {
            Path p = Path.of(m.target());
            if (!MergeMarkers.isOurs(p, mounts, node.extensionClass())
                    || !MergeMarkers.stDev(p).toString().equals(m.dev())) {
                throw new OperationFailedException("the merged overlay for " + m.hierarchy() + " did not appear on "
                        + m.target() + " in this mount namespace; make / a shared mount (mount --make-rshared /)");
            }
        }
    }

    static List<String> skipWarnings(MergePlan plan, String imagePolicy) {
        List<String> out = new ArrayList<>();
        for (ImageAssessment a : plan.ignored()) {
            if (a.state() == ImageState.BROKEN) {
                out.add("skipped broken image '" + a.name() + "' (" + a.path() + "): " + a.reason());
            } else if (a.state() == ImageState.REFUSED && a.shadowedBy() == null) {
                out.add("skipped image '" + a.name() + "' (" + a.path() + ") refused under the image policy '"
                        + imagePolicy + "' [" + a.rule() + "]: " + a.reason());
            }
        }
        return out;
    }

    /**
     * The message of a merge that finds nothing to merge: systemd-sysext's ("N ignored due to incompatible
     * version"), with the images the image policy refused counted on their own, the policy named and the first
     * one's reason and fix.
     */
    static String noneSuitable(MergePlan plan, String imagePolicy) {
        List<ImageAssessment> refused = plan.ignored().stream()
                .filter(a -> a.state() == ImageState.REFUSED && a.shadowedBy() == null).toList();
        int incompatible = plan.ignoredWinners() - refused.size();
        if (refused.isEmpty()) {
            return "No suitable extensions found (" + incompatible + " ignored due to incompatible version).";
        }
        ImageAssessment first = refused.get(0);
        return "No suitable extensions found (" + (incompatible > 0 ? incompatible + " ignored due to incompatible "
                + "version, " : "") + refused.size() + " refused under the image policy '" + imagePolicy + "': '"
                + first.name() + "' [" + first.rule() + "]: " + first.reason() + ").";
    }
}
