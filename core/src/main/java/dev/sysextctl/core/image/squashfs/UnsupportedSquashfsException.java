package dev.sysextctl.core.image.squashfs;

import dev.sysextctl.core.error.OperationFailedException;

/**
 * A well-formed squashfs image that {@link SquashfsImage} does not read itself (lzo compression, compressor
 * options it does not know): callers fall back to unsquashfs or to mounting it. The message says why.
 */
public final class UnsupportedSquashfsException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    public UnsupportedSquashfsException(String message) {
        super(message);
    }
}
