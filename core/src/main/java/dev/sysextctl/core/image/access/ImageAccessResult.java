package dev.sysextctl.core.image.access;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;

/**
 * The answer to one {@link ImageRequest}: the image opened, or why it is not. A bad image is an answer, not an
 * exception; {@link #opened()} turns the answer into one for callers that stop on the first bad image.
 */
public sealed interface ImageAccessResult extends AutoCloseable {
    ImageRequest request();

    /** What the image holds ({@link ImageFormat#detect}). */
    ImageFormat format();

    /** The opened image, or an {@link OperationFailedException} with the reason it is not. */
    Opened opened() throws OperationFailedException;

    @Override
    default void close() {
    }

    /**
     * The image opened: {@link #fs()} reads it (in userspace, or the mounted tree). Closing closes the file system
     * and releases what was taken for it (a mount namespace).
     */
    record Opened(ImageRequest request, ImageFormat format, ImageFileSystem fs, AutoCloseable release)
            implements ImageAccessResult {
        @Override
        public Opened opened() {
            return this;
        }

        @Override
        public void close() {
            fs.close();
            if (release != null) {
                try {
                    release.close();
                } catch (Exception e) {
                    // releasing a private namespace: nothing of it is visible outside, nothing to report
                }
            }
        }
    }

    /**
     * The image cannot be read.
     *
     * @param reason why, and what to do
     * @param systemdError the error with which systemd-sysext 252 aborts the whole merge because of this node
     *     image; null when it does not (or for a file a command was given)
     * @param readFailed the file could not be read at all (its format is then {@link ImageFormat#UNKNOWN}): an I/O
     *     error or a permission, not what it holds
     */
    record Unreadable(ImageRequest request, ImageFormat format, String reason, String systemdError, boolean readFailed)
            implements ImageAccessResult {
        public Unreadable(ImageRequest request, ImageFormat format, String reason, String systemdError) {
            this(request, format, reason, systemdError, false);
        }

        @Override
        public Opened opened() throws OperationFailedException {
            throw new OperationFailedException(reason);
        }
    }

    /** The policy does not reach this image: it has to be mounted, which needs root. */
    record NeedsRoot(ImageRequest request, ImageFormat format, String reason) implements ImageAccessResult {
        @Override
        public Opened opened() throws OperationFailedException {
            throw new OperationFailedException(request.path() + ": " + reason);
        }
    }
}
