package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.file.Path;

/** fsck.erofs: checks an erofs image and extracts it without root and without mounting. */
public interface FsckErofs {
    String version() throws OperationFailedException;

    /** Extracts the whole image into the new directory {@code destination} (owned by the caller). */
    void extract(Path image, Path destination) throws OperationFailedException;
}
