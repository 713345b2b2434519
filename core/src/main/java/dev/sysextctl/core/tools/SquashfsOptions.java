package dev.sysextctl.core.tools;

import java.util.List;

/**
 * How mksquashfs should write an image. {@code timestamp} goes to every inode, the root and the superblock
 * (reproducible builds); {@code allRoot} forces root ownership; {@code processors} caps mksquashfs's threads
 * (0 = its default).
 */
public record SquashfsOptions(Compression compression, long timestamp, boolean allRoot, int processors,
        List<String> extraArgs) {
    public SquashfsOptions {
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    }

    public static SquashfsOptions defaults() {
        return new SquashfsOptions(Compression.ZSTD, 0, true, 0, List.of());
    }
}
