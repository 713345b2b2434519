package dev.sysextctl.merger.status;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.inspect.NodeImages;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.Workspace;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.Planner;
import dev.sysextctl.core.image.ddi.MergeAdmission;
import dev.sysextctl.merger.plan.PolicyGate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every image of a node read and judged, for {@code list} and {@code explain}. How the images are read is the
 * {@link Reading}: mounted in a private namespace that nothing leaves (the session stays open for further
 * reading), mounted only where reading them in userspace would not tell what mounting tells, or (without root)
 * not mounted at all.
 */
public final class NodeSnapshot implements AutoCloseable {
    public final Node node;
    public final Discovery discovery;
    public final List<ImageAssessment> assessments;
    public final NamespaceSession session;
    public final Function<ImageEntry, String> mountPath;

    private NodeSnapshot(Node node, Discovery discovery, List<ImageAssessment> assessments, NamespaceSession session,
            Function<ImageEntry, String> mountPath) {
        this.node = node;
        this.discovery = discovery;
        this.assessments = assessments;
        this.session = session;
        this.mountPath = mountPath;
    }

    /** How the images are read. */
    public enum Reading {
        /** Without root: directories and squashfs images in userspace, others not at all. */
        USERSPACE,
        /**
         * As root, for answers about the images: directories and the squashfs images the kernel would mount in
         * userspace (no namespace, no process), everything else mounted.
         */
        MOUNT_WHERE_NEEDED,
        /** As root, with every image's tree mounted in {@link #session} (explain compares the trees). */
        MOUNT_ALL
    }

    /** With {@code mount}: every image mounted ({@link Reading#MOUNT_ALL}), else {@link Reading#USERSPACE}. */
    public static NodeSnapshot read(Node node, Mounter mounter, Unsquashfs unsquashfs, boolean mount,
            java.util.function.Predicate<ImageEntry> which) throws OperationFailedException {
        return read(node, mounter, unsquashfs, mount ? Reading.MOUNT_ALL : Reading.USERSPACE, which);
    }

    /** @param which the images to read (null: all of them) */
    public static NodeSnapshot read(Node node, Mounter mounter, Unsquashfs unsquashfs, Reading reading,
            java.util.function.Predicate<ImageEntry> which) throws OperationFailedException {
        Discovery discovery = ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        List<ImageEntry> toRead = new ArrayList<>();
        for (ImageEntry e : discovery.images()) {
            if ((which == null || which.test(e)) && !Planner.isMask(e)) {
                toRead.add(e);
            }
        }
        Function<ImageEntry, String> mountPath = new MountPaths(node, discovery);
        PolicyGate gate = PolicyGate.of(null, node.root());
        // Mounting everything leaves out what the policy refuses, so that is told first; otherwise the policy
        // judges each image by the format reading it told (one open of each image, not two).
        Map<ImageEntry, MergeAdmission.Refused> refusedFirst = reading == Reading.MOUNT_ALL ? gate.refusals(toRead)
                : null;
        NamespaceSession session = null;
        Map<ImageEntry, ImageInspection> read;
        try {
            switch (reading) {
                case MOUNT_ALL -> {
                    session = NamespaceSession.open(mounter, Mounter.Propagation.SLAVE);
                    // what the image policy refuses is read in userspace, never mounted
                    read = new IdentityHashMap<>(NodeImages.mounted(session, node,
                            toRead.stream().filter(e -> !refusedFirst.containsKey(e)).toList(), mountPath));
                    read.putAll(NodeImages.unmounted(node, List.copyOf(refusedFirst.keySet()), unsquashfs));
                }
                case MOUNT_WHERE_NEEDED -> {
                    NodeImages.Reading r = NodeImages.mountedWhereNeeded(mounter, Mounter.Propagation.SLAVE, node,
                            toRead, mountPath);
                    read = r.read();
                    session = r.session();
                }
                default -> read = NodeImages.unmounted(node, toRead, unsquashfs);
            }
            Map<ImageEntry, MergeAdmission.Refused> refused = refusedFirst != null ? refusedFirst
                    : gate.refusals(toRead, read);
            List<ImageAssessment> assessments = Planner.assess(node, discovery, read, Planner.Target.of(node), false,
                    refused);
            return new NodeSnapshot(node, discovery, assessments, session, mountPath);
        } catch (OperationFailedException | RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw e;
        }
    }

    /**
     * Where each image is mounted in the namespace: a winner where systemd-sysext mounts it, the others in the
     * scratch. Computed when asked (most images of a {@code list} are never mounted).
     */
    private static final class MountPaths implements Function<ImageEntry, String> {
        private final Node node;
        private final Discovery discovery;

        MountPaths(Node node, Discovery discovery) {
            this.node = node;
            this.discovery = discovery;
        }

        @Override
        public String apply(ImageEntry e) {
            return discovery.isWinner(e) ? Workspace.extension(node.extensionClass(), e.name())
                    : Workspace.SCRATCH + "/shadowed/" + e.order();
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }
}
