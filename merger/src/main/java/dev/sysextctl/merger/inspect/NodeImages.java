package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.node.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A node's image entries read through the image-access layer of core ({@link ImageAccess}): each entry becomes an
 * {@link ImageRequest} under the node's view (its type and name), and the answers come back by entry. The merger
 * supplies only the mounting ({@link SessionMounts}).
 */
public final class NodeImages implements Function<ImageRequest, String> {
    private final Map<ImageRequest, ImageEntry> byRequest = new IdentityHashMap<>();
    private final Function<ImageEntry, String> mountPath;

    private NodeImages(Function<ImageEntry, String> mountPath) {
        this.mountPath = mountPath;
    }

    /** Where the entry of {@code request} is mounted in the namespace. */
    @Override
    public String apply(ImageRequest request) {
        return mountPath.apply(byRequest.get(request));
    }

    /** Without root and without mounting: directories and squashfs images (unsquashfs allowed); others need root. */
    public static Map<ImageEntry, ImageInspection> unmounted(Node node, List<ImageEntry> entries, Unsquashfs unsquashfs)
            throws OperationFailedException {
        return new NodeImages(null).inspect(new ImageAccess(unsquashfs, null), node, entries,
                AccessPolicy.USERSPACE_OR_TOOL);
    }

    /**
     * Every entry mounted in {@code session}, at {@code mountPath}, where the mounts stay for the session's
     * lifetime.
     */
    public static Map<ImageEntry, ImageInspection> mounted(NamespaceSession session, Node node,
            List<ImageEntry> entries, Function<ImageEntry, String> mountPath) throws OperationFailedException {
        NodeImages images = new NodeImages(mountPath);
        return images.inspect(new ImageAccess(null, new SessionMounts(session, images)), node, entries,
                AccessPolicy.MOUNTED);
    }

    /** What was read, and the session the images that needed it were mounted in (null when none did). */
    public record Reading(Map<ImageEntry, ImageInspection> read, NamespaceSession session) {
    }

    /**
     * Directories and the raw squashfs images the kernel would mount read in userspace (no namespace, no process),
     * everything else mounted in a session opened for them (with {@code propagation}) at {@code mountPath}.
     */
    public static Reading mountedWhereNeeded(Mounter mounter, Mounter.Propagation propagation, Node node,
            List<ImageEntry> entries, Function<ImageEntry, String> mountPath) throws OperationFailedException {
        NodeImages images = new NodeImages(mountPath);
        SessionMounts mounts = new SessionMounts(mounter, propagation, images);
        try {
            return new Reading(images.inspect(new ImageAccess(null, mounts), node, entries, AccessPolicy.USERSPACE),
                    mounts.session());
        } catch (OperationFailedException | RuntimeException e) {
            if (mounts.session() != null) {
                mounts.session().close();
            }
            throw e;
        }
    }

    private Map<ImageEntry, ImageInspection> inspect(ImageAccess access, Node node, List<ImageEntry> entries,
            AccessPolicy policy) throws OperationFailedException {
        List<ImageRequest> requests = new ArrayList<>(entries.size());
        for (ImageEntry e : entries) {
            ImageRequest r = ImageRequest.entry(e.source(), e.type(), e.name(), policy);
            byRequest.put(r, e);
            requests.add(r);
        }
        List<ImageInspection> read = access.inspectAll(requests, node.systemdVersion(), node.hierarchies(),
                node.extensionClass());
        Map<ImageEntry, ImageInspection> out = new IdentityHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            out.put(entries.get(i), read.get(i));
        }
        return out;
    }
}
