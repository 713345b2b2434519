package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.file.Path;

/**
 * fallocate (util-linux): space inserted into a file without moving its bytes through user space, which Java's file
 * API cannot ask for. The DDI writer makes room for the partition table in front of the file system this way, so the
 * file system is never copied (docs/ddi.md §8).
 */
public interface Fallocate {
    /**
     * Inserts {@code length} bytes of hole at {@code offset} of {@code file}, shifting what follows
     * ({@code FALLOC_FL_INSERT_RANGE}). The file system must support it (ext4, xfs, f2fs do; tmpfs and btrfs do not),
     * and both numbers must be multiples of its block size.
     *
     * @throws OperationFailedException when fallocate is missing or the file system refuses
     */
    void insertRange(Path file, long offset, long length) throws OperationFailedException;
}
