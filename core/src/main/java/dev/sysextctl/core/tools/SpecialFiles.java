package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tree.EntryType;
import java.nio.file.Path;

/**
 * Device nodes and FIFOs: creating them ({@code mknod}; device nodes need root) and setting their time
 * ({@code touch -h}). Java cannot create them, and it opens a file to change its mode or times, which blocks on a
 * FIFO and has side effects on a device, so both go through the native tools.
 */
public interface SpecialFiles {
    /** Creates {@code path} as a {@code CHAR_DEVICE}, {@code BLOCK_DEVICE} or {@code FIFO} with {@code mode}. */
    void create(Path path, EntryType type, int major, int minor, int mode) throws OperationFailedException;

    /** Sets the modification and access time of {@code path} itself (never a symlink's target). */
    void setTime(Path path, long epochSeconds) throws OperationFailedException;
}
