package dev.sysextctl.core.release;

/** Field names of os-release(5) and extension-release that sysextctl reads or writes. */
public final class ReleaseKeys {
    public static final String ID = "ID";
    public static final String ID_LIKE = "ID_LIKE";
    public static final String VERSION_ID = "VERSION_ID";
    public static final String SYSEXT_LEVEL = "SYSEXT_LEVEL";
    public static final String SYSEXT_SCOPE = "SYSEXT_SCOPE";
    public static final String CONFEXT_LEVEL = "CONFEXT_LEVEL";
    public static final String CONFEXT_SCOPE = "CONFEXT_SCOPE";
    public static final String ARCHITECTURE = "ARCHITECTURE";
    public static final String SYSEXT_VERSION_ID = "SYSEXT_VERSION_ID";
    public static final String SYSEXT_ID = "SYSEXT_ID";
    public static final String EXTENSION_RELOAD_MANAGER = "EXTENSION_RELOAD_MANAGER";
    public static final String ANY = "_any";

    /** Where a sysext carries its metadata, relative to the image root (a confext's: {@code ExtensionClass}). */
    public static final String EXTENSION_RELEASE_DIR = "usr/lib/extension-release.d";
    public static final String EXTENSION_RELEASE_PREFIX = "extension-release.";

    private ReleaseKeys() {
    }

    public static String extensionReleasePath(String name) {
        return EXTENSION_RELEASE_DIR + "/" + EXTENSION_RELEASE_PREFIX + name;
    }
}
