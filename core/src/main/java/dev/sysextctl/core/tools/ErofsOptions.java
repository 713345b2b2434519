package dev.sysextctl.core.tools;

import java.util.List;
import java.util.Set;

/**
 * How mkfs.erofs should write an image. {@code compression} is {@link Compression#NONE}, {@link Compression#LZ4}
 * or {@link Compression#LZ4HC} (the only compressors erofs-utils 1.5 has); {@code timestamp} goes to every inode
 * and the superblock; {@code allRoot} forces root ownership. The filesystem UUID is always zero so that the
 * same tree gives the same bytes.
 */
public record ErofsOptions(Compression compression, long timestamp, boolean allRoot, List<String> extraArgs) {
    /** The compressions mkfs.erofs 1.5 can write. */
    public static final Set<Compression> SUPPORTED = Set.of(Compression.NONE, Compression.LZ4, Compression.LZ4HC);
    public static final String ZERO_UUID = "00000000-0000-0000-0000-000000000000";
    /** mkfs.erofs reads no extended attributes (xattr tolerance below zero). */
    public static final String NO_XATTRS = "-x-1";

    public ErofsOptions {
        if (!SUPPORTED.contains(compression)) {
            throw new IllegalArgumentException("mkfs.erofs cannot compress with " + compression.cliName());
        }
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    }

    public static ErofsOptions defaults() {
        return new ErofsOptions(Compression.LZ4HC, 0, true, List.of());
    }
}
