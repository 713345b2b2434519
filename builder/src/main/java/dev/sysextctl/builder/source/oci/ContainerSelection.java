package dev.sysextctl.builder.source.oci;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tree.ImagePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What of a container image goes into the sysext ({@code build --base}, {@code --layers}, {@code --include}).
 *
 * @param base keep only what the image adds or changes over this image; null for none
 * @param fromLayer keep only what layers {@code fromLayer..} add or change over the layers below; 1 for all
 * @param toLayer the last layer applied; 0 for the image's last
 * @param includes paths (with what is below them) kept even where the image does not change them
 */
public record ContainerSelection(ImageReference base, int fromLayer, int toLayer, List<String> includes) {
    /** The whole image (its usr/ and opt/). */
    public static final ContainerSelection ALL = new ContainerSelection(null, 1, 0, List.of());

    public ContainerSelection {
        includes = List.copyOf(includes);
    }

    /*
     * equals and hashCode written out: every build compares its selection with ALL before mksquashfs starts, and a
     * record's generated equals is bootstrapped through ObjectMethods, which spins method-handle classes at run time
     * that no class-data archive keeps (issue 17: 20-50 ms before mksquashfs started).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerSelection c && fromLayer == c.fromLayer && toLayer == c.toLayer
                && Objects.equals(base, c.base) && includes.equals(c.includes);
    }

    @Override
    public int hashCode() {
        return ((Objects.hashCode(base) * 31 + fromLayer) * 31 + toLayer) * 31 + includes.hashCode();
    }

    /** Whether only a difference is kept (over a base image or lower layers). */
    public boolean isDifference() {
        return base != null || fromLayer > 1;
    }

    /**
     * The selection the options name.
     *
     * @param base {@code --base} as written, or null
     * @param layers {@code --layers} as written ({@code N..M}, {@code N..}, {@code ..M}, {@code N}), or null
     * @param includes {@code --include} paths
     */
    public static ContainerSelection of(String base, String layers, List<String> includes) throws UsageException {
        ImageReference baseRef = null;
        if (base != null) {
            baseRef = ImageReference.parse(base).orElseThrow(() -> new UsageException("--base " + base + " is not a "
                    + "container image; write docker-archive:FILE, oci-archive:FILE or oci:DIR[:TAG]"));
        }
        int from = 1;
        int to = 0;
        if (layers != null) {
            if (baseRef != null) {
                throw new UsageException("--layers and --base cannot be combined; --layers N.. already keeps what layers "
                        + "N and above change over the layers below");
            }
            String[] r = layers.contains("..") ? layers.split("\\.\\.", -1) : new String[] {layers, layers};
            try {
                from = r[0].isEmpty() ? 1 : Integer.parseInt(r[0]);
                to = r[1].isEmpty() ? 0 : Integer.parseInt(r[1]);
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                from = -1;
            }
            if (r.length != 2 || from < 1 || to < 0 || (to > 0 && to < from)) {
                throw new UsageException("--layers " + layers + " is not a layer range; write N..M, N.. or ..M with "
                        + "layers counted from 1 (the lowest)");
            }
        }
        List<String> paths = new ArrayList<>();
        for (String i : includes) {
            Optional<String> p = ImagePaths.normalize(i.startsWith("/") ? i.substring(1) : i);
            if (p.isEmpty() || p.get().isEmpty()) {
                throw new UsageException("--include " + i + " is not a path inside the image; write e.g. usr/lib/libfoo.so");
            }
            String top = p.get().split("/")[0];
            if (!top.equals("usr") && !top.equals("opt")) {
                throw new UsageException("--include " + i + " is outside usr/ and opt/, which is all a sysext can hold; "
                        + "include a path under /usr or /opt");
            }
            paths.add(p.get());
        }
        if (!paths.isEmpty() && baseRef == null && from == 1) {
            throw new UsageException("--include keeps paths that --base or --layers would leave out; without them the "
                    + "whole of usr/ and opt/ is kept already");
        }
        return new ContainerSelection(baseRef, from, to, paths);
    }

    boolean included(String path) {
        for (String i : includes) {
            if (path.equals(i) || path.startsWith(i + "/")) {
                return true;
            }
        }
        return false;
    }
}
