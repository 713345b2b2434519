package dev.sysextctl.core.image.access;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImagePathResolver;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an opened image's tree the way systemd-sysext does once the image is mounted: the extension-release lookup
 * of docs/compatibility.md §2.1 under the image's name, the forbidden {@code usr/lib/os-release} (§3), and for each
 * hierarchy the directory chased inside the image root, kept only when it exists and is not empty (§4.3).
 */
public final class ImageInspector {
    private ImageInspector() {
    }

    public static ImageInspection.Readable inspect(ImageFileSystem fs, String name, ImageType type,
            ImageFormat format, SystemdVersion version, List<String> hierarchies) throws OperationFailedException {
        return inspect(fs, name, type, format, version, hierarchies, ExtensionClass.SYSEXT);
    }

    /** An image of class {@code cls}: its release file looked up in the class's release directory. */
    public static ImageInspection.Readable inspect(ImageFileSystem fs, String name, ImageType type,
            ImageFormat format, SystemdVersion version, List<String> hierarchies, ExtensionClass cls)
            throws OperationFailedException {
        ReleaseLookup lookup = ExtensionReleaseLocator.locate(fs, name, version, cls);
        boolean forbidden = ExtensionReleaseLocator.hasForbiddenOsRelease(fs);
        boolean osRelease = forbidden || ImagePathResolver.resolve(fs, "etc/os-release").isPresent();
        Map<String, String> content = new LinkedHashMap<>();
        for (String h : hierarchies) {
            Optional<TreeEntry> e = ImagePathResolver.resolve(fs, h.substring(1));
            if (e.isPresent() && e.get().type() == EntryType.DIRECTORY && !fs.list(e.get().path()).isEmpty()) {
                content.put(h, e.get().path());
            }
        }
        String systemdError = null;
        if (type != ImageType.DIRECTORY) {
            if (lookup.status() == ReleaseLookup.Status.NOT_UNIQUE) {
                systemdError = "Failed to read metadata for image " + name + ": Name not unique on network";
            } else if (!lookup.found() && !osRelease) {
                systemdError = "Failed to read metadata for image " + name + ": No medium found";
            }
        }
        return new ImageInspection.Readable(format, lookup, forbidden, osRelease, content, systemdError);
    }

    /** The error systemd-sysext 252 aborts with for a raw file it cannot dissect (empty or unrecognised). */
    public static String undissectable(String name) {
        return "Failed to read metadata for image " + name + ": Package not installed";
    }
}
