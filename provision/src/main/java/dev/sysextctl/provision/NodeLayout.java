package dev.sysextctl.provision;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ImageNames;

/**
 * Where provisioning puts an image of each class on a node, and what it turns on (docs/cli.md §8):
 * <ul>
 * <li>a sysext: the sysext-bakery layout, {@code /opt/extensions/NAME/FILE} linked as {@code /etc/extensions/NAME.raw},
 *     merged by {@code systemd-sysext.service};</li>
 * <li>a confext: {@code /opt/confexts/NAME/FILE} linked as {@code /var/lib/confexts/NAME.raw}, merged by
 *     {@code systemd-confext.service}. systemd-confext reads no {@code /etc/confexts} (docs/compatibility.md §1.1), so
 *     the link goes into its persistent search directory; the versions stay outside it, where systemd-confext would
 *     otherwise take each {@code NAME-VERSION-ARCH.raw} for an image of its own.</li>
 * </ul>
 */
public final class NodeLayout {
    /** Where the versions of a confext are kept, one directory per extension. */
    public static final String CONFEXT_STORE_DIR = "/opt/confexts";

    private NodeLayout() {
    }

    /** {@code /opt/extensions} or {@code /opt/confexts}. */
    public static String storeRoot(ExtensionClass c) {
        return c == ExtensionClass.CONFEXT ? CONFEXT_STORE_DIR : ExtensionConfig.STORE_DIR;
    }

    /** {@code STORE/NAME}: where the versions of image {@code name} are kept. */
    public static String storeDirectory(ExtensionClass c, String name) {
        return storeRoot(c) + "/" + name;
    }

    /** {@code STORE/NAME/FILE}. */
    public static String storePath(ExtensionClass c, String name, String fileName) {
        return storeDirectory(c, name) + "/" + fileName;
    }

    /** The directory the enabling link goes to: {@code /etc/extensions} or {@code /var/lib/confexts}. */
    public static String linkDirectory(ExtensionClass c) {
        return c == ExtensionClass.CONFEXT ? c.varLibDirectory() : ExtensionConfig.ETC_DIR;
    }

    /** {@code /etc/extensions/NAME.raw} or {@code /var/lib/confexts/NAME.raw}. */
    public static String enableLink(ExtensionClass c, String name) {
        return ExtensionConfig.enableLink(linkDirectory(c), name);
    }

    /** The unit that merges the class at boot: {@code systemd-sysext.service} or {@code systemd-confext.service}. */
    public static String service(ExtensionClass c) {
        return c.systemdTool() + ".service";
    }

    /** The extension-release field holding the image's version: {@code SYSEXT_VERSION_ID} or {@code CONFEXT_VERSION_ID}. */
    public static String versionKey(ExtensionClass c) {
        return c == ExtensionClass.CONFEXT ? "CONFEXT_VERSION_ID" : "SYSEXT_VERSION_ID";
    }

    /** {@code NAME.raw} in the class's link directory, as systemd names the image. */
    public static String rawName(String name) {
        return name + ImageNames.RAW_SUFFIX;
    }
}
