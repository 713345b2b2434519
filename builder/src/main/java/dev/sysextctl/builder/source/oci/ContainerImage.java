package dev.sysextctl.builder.source.oci;

import java.util.List;
import java.util.Set;

/**
 * What sysextctl reads of a container image: its layers, lowest first, and the digests that identify it.
 *
 * @param reference how it was named
 * @param layers lowest first
 * @param configDigest the config's digest (Docker's image ID)
 * @param digests the digests an {@code @sha256:} check accepts: the manifest's (where there is one) and the config's
 * @param tags the names it carries ({@code RepoTags}, {@code org.opencontainers.image.ref.name})
 */
record ContainerImage(ImageReference reference, List<Layer> layers, String configDigest, Set<String> digests,
        List<String> tags, ImageFiles files) {
    public ContainerImage {
        layers = List.copyOf(layers);
        digests = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(digests));
        tags = List.copyOf(tags);
    }
}
