package dev.sysextctl.merger.mount;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.SmallFiles;
import dev.sysextctl.core.image.ExtensionClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code .systemd-sysext/} markers in a merged hierarchy (docs/compatibility.md §4.4, §4.6): {@code extensions}
 * (the merged names, one a line) and {@code dev} (the overlay's {@code major:minor}). A hierarchy is a live merge
 * ("ours") when it is a mount point and its {@code dev} equals its own {@code st_dev}; otherwise the markers are
 * an offline copy or stale. A confext merge carries {@code .systemd-confext/confexts} and {@code .systemd-confext/dev}
 * instead (the overloads taking an {@link ExtensionClass}).
 */
public final class MergeMarkers {
    public static final String DIR = ".systemd-sysext";
    public static final String EXTENSIONS = "extensions";
    public static final String DEV = "dev";

    private MergeMarkers() {
    }

    public static Optional<DevNumber> readDev(Path hierarchy) {
        return readDev(hierarchy, ExtensionClass.SYSEXT);
    }

    public static Optional<DevNumber> readDev(Path hierarchy, ExtensionClass c) {
        try {
            return DevNumber.parse(SmallFiles.readString(hierarchy.resolve(c.markerDirectory()).resolve(DEV)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static List<String> readExtensions(Path hierarchy) {
        return readExtensions(hierarchy, ExtensionClass.SYSEXT);
    }

    /** The names in {@code .systemd-sysext/extensions} (or {@code .systemd-confext/confexts}). */
    public static List<String> readExtensions(Path hierarchy, ExtensionClass c) {
        try {
            List<String> out = new ArrayList<>();
            for (String l : SmallFiles.readAllLines(hierarchy.resolve(c.markerDirectory()).resolve(c.plural()))) {
                if (!l.isEmpty()) {
                    out.add(l);
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** {@code lstat(p).st_dev}. */
    public static DevNumber stDev(Path p) throws OperationFailedException {
        try {
            return DevNumber.ofStDev((Long) Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new OperationFailedException("cannot stat " + p + ": " + e.getMessage());
        }
    }

    /** systemd's {@code is_our_mount_point()}. */
    public static boolean isOurs(Path hierarchy, MountTable mounts) {
        return isOurs(hierarchy, mounts, ExtensionClass.SYSEXT);
    }

    /** {@code is_our_mount_point()} for a merge of class {@code c}. */
    public static boolean isOurs(Path hierarchy, MountTable mounts, ExtensionClass c) {
        if (!Files.isDirectory(hierarchy) || !mounts.isMountPoint(hierarchy)) {
            return false;
        }
        Optional<DevNumber> dev = readDev(hierarchy, c);
        if (dev.isEmpty()) {
            return false;
        }
        try {
            return dev.get().equals(stDev(hierarchy));
        } catch (OperationFailedException e) {
            return false;
        }
    }

    /** True when the hierarchy carries a {@code dev} marker that does not describe it (an offline copy). */
    public static boolean hasStaleMarker(Path hierarchy, MountTable mounts) {
        return readDev(hierarchy).isPresent() && !isOurs(hierarchy, mounts);
    }

    /** The marker directory of class {@code c} in the meta layer {@code meta}. */
    public static Path directory(Path meta, ExtensionClass c) {
        return meta.resolve(c.markerDirectory());
    }
}
