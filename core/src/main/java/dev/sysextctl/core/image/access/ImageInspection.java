package dev.sysextctl.core.image.access;

import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ReleaseLookup;
import java.util.Map;

/**
 * What reading one image of a node told, as systemd-sysext would read it: the image was read, it cannot be read
 * (with why, and the error systemd-sysext 252 aborts the whole merge with, if it does), or it was not read because
 * reading it needs root.
 */
public sealed interface ImageInspection {
    /** What the image holds. */
    ImageFormat format();

    /** The error with which systemd-sysext 252 aborts the whole merge because of this image; null when it does not. */
    String systemdError();

    /**
     * The image was read.
     *
     * @param release the extension-release lookup
     * @param forbiddenOsRelease the image carries {@code usr/lib/os-release}
     * @param hasOsRelease the image carries an os-release at all (raw images pass systemd's check with it)
     * @param hierarchies per hierarchy with content ({@code /usr}), the directory inside the image after chasing
     *     symlinks ({@code usr}); hierarchies that are missing or empty are absent
     * @param systemdError see {@link ImageInspection#systemdError()}
     */
    record Readable(ImageFormat format, ReleaseLookup release, boolean forbiddenOsRelease, boolean hasOsRelease,
            Map<String, String> hierarchies, String systemdError) implements ImageInspection {
        public Readable {
            hierarchies = hierarchies == null ? Map.of() : Map.copyOf(hierarchies);
        }
    }

    /** The image cannot be read: {@code reason} says why, and what to do. */
    record Unreadable(ImageFormat format, String reason, String systemdError) implements ImageInspection {
    }

    /** The image was not read because reading it needs root ({@code reason} says why); it is not known to be broken. */
    record NeedsRoot(ImageFormat format, String reason) implements ImageInspection {
        @Override
        public String systemdError() {
            return null;
        }
    }
}
