package dev.sysextctl.core.image;

/**
 * Where a node's extension configuration lives and what each kind of entry does there, shared by everything that
 * writes it ({@code enable}/{@code mask} in merger/config, {@code convert torcx-profile --enable}, {@code ignition})
 * and by what describes it ({@code list}, {@code explain}); docs/compatibility.md §1.4.
 *
 * <p>The layout is the sysext-bakery's: images stored as {@code /opt/extensions/NAME/FILE}, enabled by the link
 * {@code /etc/extensions/NAME.raw} (or {@code /run/extensions/NAME.raw} until the next boot).
 *
 * <p>Measured with systemd-sysext 252 (K24, K25): only an <b>empty directory</b> {@code /etc/extensions/NAME} masks
 * (it is found first, carries no extension-release, and so nothing named NAME is merged); a <b>link to
 * {@code /dev/null}</b> is not an image (a character device) and is passed over: it only takes the place of a link
 * that enabled NAME in that directory, so it disables an image enabled there (Flatcar's built-in
 * {@code docker-flatcar.raw}, whose image lives outside the search directories) while images named NAME in other
 * search directories still merge; an empty regular file {@code NAME.raw} aborts the whole merge. {@link Entry} names
 * the two forms the tools write.
 */
public final class ExtensionConfig {
    /** The persistent configuration directory, read first. */
    public static final String ETC_DIR = "/etc/extensions";
    /** The configuration directory that lasts until the next boot ({@code --runtime}). */
    public static final String RUN_DIR = "/run/extensions";
    /** Where the images themselves are kept, one directory per extension. */
    public static final String STORE_DIR = "/opt/extensions";
    /** Where provisioning keeps the versions of a confext, one directory per extension. */
    public static final String CONFEXT_STORE_DIR = "/opt/confexts";
    /** The target of a disabling link. */
    public static final String DEV_NULL = "/dev/null";

    private ExtensionConfig() {
    }

    /**
     * Where {@code enable} links an image of class {@code c} and where {@code mask} puts its empty directory:
     * {@code /etc/extensions} for a sysext; for a confext, which has no directory in {@code /etc} (systemd-confext
     * 257 does not read {@code /etc/confexts}), the first persistent search directory {@code /var/lib/confexts}
     * (docs/compatibility.md §1.4). An image of that name in {@code /run/confexts} is read before it.
     */
    public static String configDirectory(ExtensionClass c) {
        return c == ExtensionClass.SYSEXT ? ETC_DIR : c.varLibDirectory();
    }

    /** Where {@code enable --runtime} links an image of class {@code c}: {@code /run/extensions}, {@code /run/confexts}. */
    public static String runtimeDirectory(ExtensionClass c) {
        return c.runDirectory();
    }

    /** {@code CONFIG_DIR/NAME}: the mask directory of class {@code c}. */
    public static String maskDirectory(ExtensionClass c, String name) {
        return configDirectory(c) + "/" + name;
    }

    /** {@code CONFIG_DIR/NAME.raw}: the link that enables raw image {@code name} of class {@code c}. */
    public static String enableLink(ExtensionClass c, String name) {
        return enableLink(configDirectory(c), name);
    }

    /** The two entries that keep an image out, and what each does on the node. */
    public enum Entry {
        /**
         * An empty directory {@code /etc/extensions/NAME}: masks NAME; no image of that name in any search directory
         * is merged. Written by {@code sysextctl mask}.
         */
        MASK_DIRECTORY,
        /**
         * A link {@code /etc/extensions/NAME.raw -> /dev/null}: disables the image that a link of that name enabled
         * (it replaces the link); images named NAME elsewhere still merge. Written over Flatcar's built-in links.
         */
        DISABLE_LINK;

        /** The entry's path on the node for extension {@code name}. */
        public String path(String name) {
            return this == MASK_DIRECTORY ? maskDirectory(name) : enableLink(ETC_DIR, name);
        }
    }

    /** {@code DIR/NAME.raw}: the link that enables a raw image {@code name} from the configuration directory. */
    public static String enableLink(String dir, String name) {
        return dir + "/" + name + ImageNames.RAW_SUFFIX;
    }

    /** {@code /etc/extensions/NAME.raw}. */
    public static String enableLink(String name) {
        return enableLink(ETC_DIR, name);
    }

    /** {@code /etc/extensions/NAME}: the mask directory. */
    public static String maskDirectory(String name) {
        return ETC_DIR + "/" + name;
    }

    /** {@code /opt/extensions/NAME}: where the versions of image {@code name} are kept. */
    public static String storeDirectory(String name) {
        return STORE_DIR + "/" + name;
    }

    /**
     * {@code /opt/extensions} or {@code /opt/confexts}: where provisioning keeps the versions of an image of class
     * {@code c}, outside every search directory (systemd-confext would take each {@code NAME-VERSION-ARCH.raw} in
     * {@code /var/lib/confexts} for an image of its own); the enabling link in {@link #configDirectory} points there.
     */
    public static String storeRoot(ExtensionClass c) {
        return c == ExtensionClass.SYSEXT ? STORE_DIR : CONFEXT_STORE_DIR;
    }

    /** {@code STORE/NAME} of class {@code c}. */
    public static String storeDirectory(ExtensionClass c, String name) {
        return storeRoot(c) + "/" + name;
    }

    /** {@code STORE/NAME/FILE} of class {@code c}. */
    public static String storePath(ExtensionClass c, String name, String fileName) {
        return storeDirectory(c, name) + "/" + fileName;
    }

    /** {@code /opt/extensions/NAME/FILE}. */
    public static String storePath(String name, String fileName) {
        return storeDirectory(name) + "/" + fileName;
    }

    /** Whether a link with this target is a disabling link. */
    public static boolean isDisableTarget(String linkTarget) {
        return DEV_NULL.equals(linkTarget);
    }

    /**
     * What a link {@code dir/NAME.raw -> /dev/null} does, for {@code list} and {@code explain}: one line without the
     * path.
     */
    public static String describeDisableLink(String dir, String name) {
        return "a link to /dev/null: disables a built-in image whose link it replaces (disabled: '" + name
                + "' is hidden from " + dir + "; it does not mask: images named '" + name + "' in other search "
                + "directories still merge, "
                + "an empty directory " + maskDirectory(name) + " masks them: sysextctl mask " + name + ")";
    }
}
