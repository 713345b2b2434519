package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.release.ReleaseFiles;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of an image's tree, whatever holds it (a directory, a squashfs or erofs file). Paths are
 * relative to the image root ({@code usr/lib/os-release}); nothing follows symlinks unless it says so.
 */
public interface ImageFileSystem extends AutoCloseable {
    /** The entry at {@code path} itself (a symlink is returned as a symlink), or empty. */
    Optional<TreeEntry> lstat(String path) throws OperationFailedException;

    /** The entries directly inside the directory {@code path}, sorted by name; empty when there is none. */
    List<TreeEntry> list(String path) throws OperationFailedException;

    /** Every entry of the image, parents before children. */
    List<TreeEntry> walk() throws OperationFailedException;

    /** The content of the regular file at {@code path}. */
    byte[] read(String path) throws OperationFailedException;

    /**
     * The content of the regular file at {@code path}, refused without reading it when it holds more than
     * {@code max} bytes (release files: {@link ReleaseFiles#MAX_BYTES}).
     */
    default byte[] read(String path, int max) throws OperationFailedException {
        Optional<TreeEntry> e = lstat(path);
        if (e.isPresent() && e.get().size() > max) {
            throw ReleaseFiles.tooLarge(path, e.get().size(), max);
        }
        return read(path);
    }

    /**
     * The content of the regular file at {@code path} as a stream the caller closes. The readers that can stream
     * (directories, squashfs in Java) never hold the whole file: a file of gigabytes costs a block of memory. The
     * others read it whole ({@link #read}).
     */
    default InputStream open(String path) throws OperationFailedException {
        return new ByteArrayInputStream(read(path));
    }

    /**
     * The extended attributes of the entry at {@code path} that an unprivileged reader can see ({@code user.*}),
     * and overlayfs' opaque marker {@code trusted.overlay.opaque} where the reader can read it from the image
     * (squashfs and erofs images read in Java; not a directory tree).
     */
    Map<String, String> xattrs(String path) throws OperationFailedException;

    @Override
    default void close() {
    }
}
