package dev.sysextctl.core.image.access;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ImageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to open: a path, the {@link AccessPolicy} to open it under, and, for an image as a node's systemd-sysext
 * sees it, its type and the name it is (or will be) installed as.
 *
 * @param path the image file, directory or block device
 * @param policy how far the access may go
 * @param type systemd's type of the node's entry; null for a file a command was given (its format decides)
 * @param name the image name on the node ({@code docker} for {@code /etc/extensions/docker.raw}); null when not
 *     known yet or not installed
 */
public record ImageRequest(Path path, AccessPolicy policy, ImageType type, String name) {
    public ImageRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(policy, "policy");
    }

    /** An image a command was given (inspect, validate, ignition, release), which must exist. */
    public static ImageRequest file(Path path, AccessPolicy policy) throws UsageException {
        if (!Files.exists(path)) {
            throw new UsageException(path + " does not exist; give the path of an image file or directory");
        }
        return new ImageRequest(path, policy, null, null);
    }

    /** An image entry of a node, read as its systemd-sysext reads it. */
    public static ImageRequest entry(Path source, ImageType type, String name, AccessPolicy policy) {
        return new ImageRequest(source, policy, Objects.requireNonNull(type, "type"), name);
    }

    /** The same image under another policy. */
    public ImageRequest withPolicy(AccessPolicy other) {
        return new ImageRequest(path, other, type, name);
    }

    /** Whether this is a node's image entry (rather than a file a command was given). */
    public boolean onNode() {
        return type != null;
    }
}
