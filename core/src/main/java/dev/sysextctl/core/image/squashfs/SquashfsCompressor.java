package dev.sysextctl.core.image.squashfs;

import dev.sysextctl.core.codec.ZstdLibrary;
import dev.sysextctl.core.error.OperationFailedException;

/**
 * The compressors a squashfs 4.0 superblock can name ({@code compression}), as mksquashfs {@code -comp} calls
 * them. Which of them sysextctl decompresses itself is {@link #readable()}; which the Linux kernel mounts is
 * {@link #kernelMountable()} (mainline has no lzma support for squashfs 4.0).
 */
public enum SquashfsCompressor {
    GZIP(1, "gzip", true, true),
    LZMA(2, "lzma", true, false),
    LZO(3, "lzo", false, true),
    XZ(4, "xz", true, true),
    LZ4(5, "lz4", true, true),
    ZSTD(6, "zstd", true, true);

    private final int id;
    private final String toolName;
    private final boolean readable;
    private final boolean kernelMountable;

    SquashfsCompressor(int id, String toolName, boolean readable, boolean kernelMountable) {
        this.id = id;
        this.toolName = toolName;
        this.readable = readable;
        this.kernelMountable = kernelMountable;
    }

    /** The compressor with this superblock id, or null for an unknown one. */
    public static SquashfsCompressor ofId(int id) {
        for (SquashfsCompressor c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        return null;
    }

    public int id() {
        return id;
    }

    /** The name mksquashfs and unsquashfs use ({@code -comp gzip}). */
    public String toolName() {
        return toolName;
    }

    /** Whether {@link SquashfsImage} decompresses it without a native tool (lzo: no Java decoder here). */
    public boolean readable() {
        return readable;
    }

    /** Whether the mainline Linux squashfs driver can mount an image compressed with it. */
    public boolean kernelMountable() {
        return kernelMountable;
    }

    /**
     * A fresh decompressor (not thread-safe). Each branch names its own class, so an image only loads the
     * decoder it uses.
     */
    Decompressor decompressor() throws UnsupportedSquashfsException {
        return switch (this) {
            case GZIP -> new ZlibDecompressor();
            case XZ -> new XzDecompressor(false);
            case LZMA -> new XzDecompressor(true);
            case LZ4 -> new Lz4Decompressor();
            case ZSTD -> {
                try {
                    ZstdLibrary.ensureLoaded();
                } catch (OperationFailedException e) {
                    throw new UnsupportedSquashfsException("it is compressed with zstd, whose decoder cannot be "
                            + "loaded: " + e.getMessage());
                }
                yield new ZstdDecompressor();
            }
            case LZO -> throw new UnsupportedSquashfsException("it is compressed with lzo, for which sysextctl has no "
                    + "decoder");
        };
    }
}
