package dev.sysextctl.merger.plan;

import java.util.List;

/**
 * The overlay planned for one hierarchy.
 *
 * @param hierarchy as configured ({@code /usr})
 * @param target where it is mounted on this machine (the hierarchy chased inside the root)
 * @param layers top first: meta, the extensions (highest name first), the host hierarchy when it has content
 * @param createsMountPoint the target does not exist and is created (it stays after an unmerge, like systemd's)
 */
public record HierarchyPlan(String hierarchy, String target, List<Layer> layers, boolean createsMountPoint) {
    public HierarchyPlan {
        layers = List.copyOf(layers);
    }

    public List<String> extensionNames() {
        return layers.stream().filter(l -> l.kind() == Layer.Kind.EXTENSION).map(Layer::name).toList();
    }

    public boolean hasHostLayer() {
        return layers.stream().anyMatch(l -> l.kind() == Layer.Kind.HOST);
    }

    /** The overlay's {@code lowerdir} paths, top first. */
    public List<String> lowerDirs() {
        return layers.stream().map(Layer::path).toList();
    }
}
