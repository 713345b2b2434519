package dev.sysextctl.builder;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.Compression;
import java.util.Locale;

/** What {@code build} writes ({@code --format}). */
public enum BuildFormat {
    /** A squashfs image file, made by mksquashfs from a tar stream (the default). */
    SQUASHFS(Compression.ZSTD),
    /** An erofs image file, made by mkfs.erofs from a staged tree. */
    EROFS(Compression.LZ4HC),
    /** A directory extension: the tree itself. */
    DIRECTORY(Compression.NONE),
    /**
     * A DDI: a GPT disk image with the erofs or squashfs file system, its verity hash tree and signature. Its erofs
     * is uncompressed unless asked, as {@code systemd-repart --make-ddi=sysext} makes it (docs/ddi.md §8); squashfs
     * inside keeps squashfs's default.
     */
    DDI(Compression.NONE);

    private final Compression defaultCompression;

    BuildFormat(Compression defaultCompression) {
        this.defaultCompression = defaultCompression;
    }

    public static BuildFormat parse(String s) throws UsageException {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown format '" + s + "'; use squashfs, erofs, directory or ddi");
        }
    }

    /** The file system inside a DDI ({@code --fs}): erofs or squashfs. */
    public static BuildFormat parseFileSystem(String s) throws UsageException {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("erofs") || v.equals("squashfs")) {
            return valueOf(v.toUpperCase(Locale.ROOT));
        }
        throw new UsageException("unknown file system '" + s + "' for a DDI; use erofs or squashfs");
    }

    /** The compression used when the caller did not choose one. */
    public Compression defaultCompression() {
        return defaultCompression;
    }

    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
