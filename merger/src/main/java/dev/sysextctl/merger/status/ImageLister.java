package dev.sysextctl.merger.status;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.ImageAssessment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code list}. Unlike {@code systemd-sysext list}, it reads every image and says whether it would merge. As root
 * ({@code mount}), directories and squashfs images are read in userspace and only other formats are mounted.
 */
public final class ImageLister {
    private ImageLister() {
    }

    public static ImageList list(Node node, Mounter mounter, Unsquashfs unsquashfs, boolean mount)
            throws OperationFailedException {
        Set<String> merged = new HashSet<>();
        for (HierarchyStatus s : StatusReader.read(node)) {
            merged.addAll(s.extensions());
        }
        try (NodeSnapshot snap = NodeSnapshot.read(node, mounter, unsquashfs,
                mount ? NodeSnapshot.Reading.MOUNT_WHERE_NEEDED : NodeSnapshot.Reading.USERSPACE, null)) {
            List<ListedImage> rows = new ArrayList<>();
            for (ImageAssessment a : snap.assessments) {
                rows.add(ListedImage.of(a, merged.contains(a.name()) && snap.discovery.isWinner(a.entry()),
                        node.extensionClass()));
            }
            return new ImageList(node.root().toString(), node.systemdVersion().major(), snap.discovery.searchDirs(),
                    rows, snap.discovery.ignored(), mount ? "mount" : "userspace");
        }
    }
}
