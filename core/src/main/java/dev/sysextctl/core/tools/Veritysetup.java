package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * veritysetup (cryptsetup-bin): the dm-verity hash tree of a DDI's data partition computed natively
 * (docs/ddi.md §3). Java computes the same tree, about eight times slower under the launcher's C1 compiler.
 */
public interface Veritysetup {
    /**
     * Writes the verity superblock (format 1, sha256, 4096-byte data and hash blocks) and the hash tree of the first
     * {@code dataBlocks} blocks of {@code data} to {@code hash}, a file that does not exist yet, and returns the root
     * hash (lower-case hex).
     *
     * @throws OperationFailedException when veritysetup is missing, fails, or prints no root hash
     */
    String format(Path data, Path hash, long dataBlocks, byte[] salt, UUID uuid) throws OperationFailedException;

    /**
     * {@link #format} with the hash area in {@code image} itself, right after the first {@code dataBlocks} blocks
     * (at byte {@code dataBlocks * 4096}, {@code --hash-offset}), which it overwrites or appends: the data and hash
     * partitions of a DDI one after the other in one file, nothing copied. Returns the root hash (lower-case hex).
     *
     * @throws OperationFailedException when veritysetup is missing, fails, or prints no root hash
     */
    String formatAppended(Path image, long dataBlocks, byte[] salt, UUID uuid) throws OperationFailedException;
}
