package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;
import java.util.List;

/** unsquashfs: reads squashfs images without root and without mounting. */
public interface Unsquashfs {
    String version() throws OperationFailedException;

    /** Every entry of the image with type, mode, owner, size and link target (mtime to the minute). */
    List<TreeEntry> list(Path image) throws OperationFailedException;

    /** The content of the regular file {@code path} (relative to the image root). */
    byte[] cat(Path image, String path) throws OperationFailedException;

    /** Extracts {@code paths} (all when empty) with their xattrs into the new directory {@code destination}. */
    void extract(Path image, Path destination, List<String> paths) throws OperationFailedException;
}
