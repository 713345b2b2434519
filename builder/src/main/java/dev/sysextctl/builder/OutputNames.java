package dev.sysextctl.builder;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;

/** Default output names: {@code NAME.raw}, or {@code NAME-VERSION-ARCH.raw} (the sysext-bakery naming). */
public final class OutputNames {
    private OutputNames() {
    }

    /**
     * {@code NAME-VERSION-ARCH.raw} when the release has both {@code SYSEXT_VERSION_ID} and {@code ARCHITECTURE},
     * else {@code NAME.raw}; without {@code .raw} for directories (a directory extension is named verbatim).
     */
    public static String defaultName(String name, ReleaseFile release, BuildFormat format) {
        return defaultName(name, release, format, ExtensionClass.SYSEXT);
    }

    /** The same for an image of class {@code cls}, whose version is its {@link ExtensionClass#versionKey()}. */
    public static String defaultName(String name, ReleaseFile release, BuildFormat format, ExtensionClass cls) {
        String version = release.get(cls.versionKey());
        String arch = release.get(ReleaseKeys.ARCHITECTURE);
        String base = !version.isEmpty() && !arch.isEmpty() ? name + "-" + version + "-" + arch : name;
        return format == BuildFormat.DIRECTORY ? base : base + ".raw";
    }
}
