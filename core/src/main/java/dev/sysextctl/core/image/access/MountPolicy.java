package dev.sysextctl.core.image.access;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * How images are mounted for {@link ImageAccess} (the merger's namespace sessions implement it; core mounts
 * nothing itself). All images of one call are mounted together.
 */
public interface MountPolicy {
    /** One image to mount read-only, with its detected format. */
    record Mountable(ImageRequest request, ImageFormat format) {
    }

    /** How mounting one image went. */
    sealed interface Mount {
    }

    /**
     * Mounted: {@code tree} is the mounted tree as this process sees it; {@code release} (null when the mount
     * lives as long as its session) is closed when the image is.
     */
    record Mounted(Path tree, AutoCloseable release) implements Mount {
    }

    /** The mount failed: {@code message} is the mount's own. */
    record Failed(String message) implements Mount {
    }

    /**
     * Mounts every image, one outcome per image in the given order.
     *
     * @throws OperationFailedException when mounting cannot even be tried (no mount point, no namespace)
     */
    List<Mount> mount(List<Mountable> images) throws OperationFailedException;
}
