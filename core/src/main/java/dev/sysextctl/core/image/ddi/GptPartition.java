package dev.sysextctl.core.image.ddi;

import java.util.UUID;

/**
 * One entry of a GPT partition table.
 *
 * @param type the partition type UUID (docs/ddi.md §2)
 * @param uuid the partition's own UUID
 * @param name the partition label (at most 36 UTF-16 code units)
 * @param firstLba the first sector
 * @param lastLba the last sector (inclusive, as GPT counts)
 * @param attributes the attribute bits (bit 60: read-only)
 */
public record GptPartition(UUID type, UUID uuid, String name, long firstLba, long lastLba, long attributes) {
    /** The GPT attribute bit that marks a partition read-only (the Discoverable Partitions Specification's). */
    public static final long READ_ONLY = 1L << 60;

    public GptPartition {
        if (name.length() > 36) {
            throw new IllegalArgumentException("a GPT partition name holds 36 UTF-16 code units, not " + name.length());
        }
        if (lastLba < firstLba - 1) {
            throw new IllegalArgumentException("partition " + name + " ends before it starts");
        }
    }

    /** Where the partition starts, in bytes. */
    public long offset(int sectorSize) {
        return firstLba * sectorSize;
    }

    /** How many bytes the partition holds. */
    public long size(int sectorSize) {
        return (lastLba - firstLba + 1) * sectorSize;
    }

    public boolean readOnly() {
        return (attributes & READ_ONLY) != 0;
    }
}
