package dev.sysextctl.core.image;

import dev.sysextctl.core.release.ReleaseFile;
import java.util.List;

/**
 * The outcome of looking up an image's extension-release (docs/compatibility.md §2.1).
 *
 * @param status how the lookup ended
 * @param path the file used, relative to the image root (null unless found)
 * @param release its fields ({@link ReleaseFile#EMPTY} unless found)
 * @param candidates fallback files that qualified (several: not unique) or that were seen and skipped
 */
public record ReleaseLookup(Status status, String path, ReleaseFile release, List<String> candidates,
        String detail) {
    /** How a lookup ended. */
    public enum Status {
        /** {@code extension-release.NAME} exists (symlinks chased inside the image). */
        FOUND,
        /** Found by the fallback: the one file marked {@code user.extension-release.strict=false}. */
        FOUND_BY_XATTR,
        /** 257+: found by the file name truncated at the first {@code _} or {@code +}. */
        FOUND_BY_TRUNCATED_NAME,
        /** No usable file (ENOENT). */
        NOT_FOUND,
        /** Several fallback candidates (ENOTUNIQ). */
        NOT_UNIQUE,
        /** The file exists but cannot be read as a file. */
        UNREADABLE
    }

    public ReleaseLookup {
        candidates = List.copyOf(candidates);
        release = release == null ? ReleaseFile.EMPTY : release;
        detail = detail == null ? "" : detail;
    }

    public boolean found() {
        return status == Status.FOUND || status == Status.FOUND_BY_XATTR || status == Status.FOUND_BY_TRUNCATED_NAME;
    }
}
