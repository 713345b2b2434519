package dev.sysextctl.merger.inspect;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ReleaseLookup;
import java.util.Map;

/**
 * What reading one image told: its format, its extension-release lookup, forbidden content, and which
 * hierarchies it has content in.
 *
 * @param format what the image holds
 * @param release the extension-release lookup (null when the image could not be read)
 * @param forbiddenOsRelease the image carries {@code usr/lib/os-release}
 * @param hasOsRelease the image carries an os-release at all (raw images pass systemd's check with it)
 * @param hierarchies per hierarchy with content ({@code /usr}), the directory inside the image after chasing
 *     symlinks ({@code usr}); hierarchies that are missing or empty are absent
 * @param failure why the image could not be read (null when it was read)
 * @param systemdError the error with which systemd-sysext 252 aborts the whole merge because of this image
 *     (null when it does not)
 * @param needsRoot the image was not read because reading it needs root ({@code failure} says why); it is
 *     not known to be broken
 */
public record ImageInspection(ImageFormat format, ReleaseLookup release, boolean forbiddenOsRelease,
        boolean hasOsRelease, Map<String, String> hierarchies, String failure, String systemdError,
        boolean needsRoot) {

    public ImageInspection {
        hierarchies = hierarchies == null ? Map.of() : Map.copyOf(hierarchies);
    }

    public static ImageInspection unreadable(ImageFormat format, String failure, String systemdError) {
        return new ImageInspection(format, null, false, false, Map.of(), failure, systemdError, false);
    }

    public static ImageInspection notRead(ImageFormat format, String why) {
        return new ImageInspection(format, null, false, false, Map.of(), why, null, true);
    }

    @JsonIgnore
    public boolean readable() {
        return failure == null;
    }
}
