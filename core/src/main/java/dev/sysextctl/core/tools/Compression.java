package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.UsageException;
import java.util.Locale;

/**
 * Image compressions of the contract ({@code --compression}), plus {@code lz4hc} (lz4 at high compression:
 * mksquashfs {@code -comp lz4 -Xhc}, mkfs.erofs {@code -zlz4hc}).
 */
public enum Compression {
    ZSTD, XZ, GZIP, LZ4, LZ4HC, LZO, NONE;

    public static Compression parse(String s) throws UsageException {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown compression '" + s + "'; use one of zstd, xz, gzip, lz4, lz4hc, lzo, none");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
