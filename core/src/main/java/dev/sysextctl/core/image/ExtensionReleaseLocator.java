package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFiles;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds an image's extension-release the way systemd does ({@code open_extension_release()},
 * docs/compatibility.md §2.1): the exact {@code extension-release.NAME} first (symlinks chased inside the image),
 * else the one regular file of {@code usr/lib/extension-release.d/} whose {@code user.extension-release.strict}
 * xattr is false (and on 257+, the one named after the image name cut at {@code _}/{@code +}); several such
 * files are "not unique", none is "not found". A confext's file is looked up the same way in
 * {@code etc/extension-release.d/} ({@link ExtensionClass#releaseDirectory()}); {@link #classify} looks up both and
 * tells which classes an image belongs to. Also checks the forbidden {@code usr/lib/os-release}.
 */
public final class ExtensionReleaseLocator {
    public static final String STRICT_XATTR = "user.extension-release.strict";

    private ExtensionReleaseLocator() {
    }

    /** A sysext's extension-release ({@code usr/lib/extension-release.d/}). */
    public static ReleaseLookup locate(ImageFileSystem fs, String name, SystemdVersion v)
            throws OperationFailedException {
        return locate(fs, name, v, ExtensionClass.SYSEXT);
    }

    /** The extension-release of class {@code cls}: {@code RELEASE_DIR/extension-release.NAME} or its fallback. */
    public static ReleaseLookup locate(ImageFileSystem fs, String name, SystemdVersion v, ExtensionClass cls)
            throws OperationFailedException {
        String exact = cls.releasePath(name);
        String releaseDir = cls.releaseDirectory();
        Optional<TreeEntry> direct = ImagePathResolver.resolve(fs, exact);
        if (direct.isPresent()) {
            TreeEntry e = direct.get();
            if (e.type() != EntryType.FILE) {
                return new ReleaseLookup(ReleaseLookup.Status.UNREADABLE, exact, null, List.of(),
                        exact + " is a " + e.type().jsonName() + ", not a file");
            }
            return new ReleaseLookup(ReleaseLookup.Status.FOUND, exact, parse(fs, e.path()), List.of(), "");
        }
        Optional<TreeEntry> dir = ImagePathResolver.resolve(fs, releaseDir);
        if (dir.isEmpty() || dir.get().type() != EntryType.DIRECTORY) {
            return new ReleaseLookup(ReleaseLookup.Status.NOT_FOUND, null, null, List.of(),
                    "the image has no " + releaseDir + "/");
        }
        List<String> accepted = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        boolean truncatedMatch = false;
        String truncated = ImageNames.truncatedAtVersion(name);
        for (TreeEntry e : fs.list(dir.get().path())) {
            if (e.type() != EntryType.FILE || !e.name().startsWith(ReleaseKeys.EXTENSION_RELEASE_PREFIX)) {
                continue;
            }
            String other = e.name().substring(ReleaseKeys.EXTENSION_RELEASE_PREFIX.length());
            if (!ImageNames.isValid(other)) {
                continue;
            }
            seen.add(e.path());
            if (v.acceptsTruncatedReleaseName() && other.equals(truncated)) {
                accepted.add(e.path());
                truncatedMatch = true;
                continue;
            }
            String strict = fs.xattrs(e.path()).get(STRICT_XATTR);
            if (strict != null && Boolean.FALSE.equals(parseBoolean(strict))) {
                accepted.add(e.path());
            }
        }
        if (accepted.size() > 1) {
            return new ReleaseLookup(ReleaseLookup.Status.NOT_UNIQUE, null, null, accepted,
                    accepted.size() + " files qualify as fallback: " + String.join(", ", accepted));
        }
        if (accepted.isEmpty()) {
            return new ReleaseLookup(ReleaseLookup.Status.NOT_FOUND, null, null, seen, seen.isEmpty()
                    ? "no " + exact
                    : "no " + exact + "; " + String.join(", ", seen) + (seen.size() == 1 ? " is" : " are")
                            + " not marked " + STRICT_XATTR + "=0");
        }
        String path = accepted.get(0);
        return new ReleaseLookup(truncatedMatch ? ReleaseLookup.Status.FOUND_BY_TRUNCATED_NAME
                : ReleaseLookup.Status.FOUND_BY_XATTR, path, parse(fs, path), accepted, "");
    }

    /**
     * Both lookups: which classes {@code fs} is an image of (systemd-sysext ignores an image without a sysext
     * release, systemd-confext one without a confext release).
     */
    public static ClassLookup classify(ImageFileSystem fs, String name, SystemdVersion v)
            throws OperationFailedException {
        return new ClassLookup(locate(fs, name, v, ExtensionClass.SYSEXT), locate(fs, name, v, ExtensionClass.CONFEXT));
    }

    /**
     * True when {@code usr/lib/os-release} exists in the image (chased inside it), which systemd refuses in an image
     * of either class.
     */
    public static boolean hasForbiddenOsRelease(ImageFileSystem fs) throws OperationFailedException {
        return ImagePathResolver.resolve(fs, "usr/lib/os-release").isPresent();
    }

    private static dev.sysextctl.core.release.ReleaseFile parse(ImageFileSystem fs, String path)
            throws OperationFailedException {
        return OsReleaseFiles.parse(fs.read(path, ReleaseFiles.MAX_BYTES), path);
    }

    /** systemd's {@code parse_boolean()}: null when the value is neither true nor false. */
    public static Boolean parseBoolean(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "yes", "y", "true", "t", "on" -> Boolean.TRUE;
            case "0", "no", "n", "false", "f", "off" -> Boolean.FALSE;
            default -> null;
        };
    }
}
