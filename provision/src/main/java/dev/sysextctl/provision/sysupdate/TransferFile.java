package dev.sysextctl.provision.sysupdate;

import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import java.util.Optional;

/**
 * A systemd-sysupdate transfer definition for one extension, in the sysext-bakery layout
 * (docs/torcx.md §4.2, docs/compatibility.md §6.5): images {@code NAME-@v-%a.raw} downloaded from
 * {@code sourceUrl} into {@code /opt/extensions/NAME/}, the newest linked as {@code /etc/extensions/NAME.raw}.
 * Pattern, target directory and link all derive from the one extension name, so they cannot disagree. A confext's
 * versions go to {@code /opt/confexts/NAME/}, the newest linked as {@code /var/lib/confexts/NAME.raw}
 * ({@link dev.sysextctl.core.image.ExtensionConfig#storeDirectory(dev.sysextctl.core.image.ExtensionClass, String)}).
 *
 * @param name the extension name (the {@code extension-release.NAME} suffix)
 * @param sourceUrl the directory URL holding {@code SHA256SUMS} and the images, ending in {@code /}
 * @param instancesMax how many versions the node keeps (systemd bumps values below 2 to 2)
 * @param extensionClass sysext or confext: where the versions and the link go
 */
public record TransferFile(String name, String sourceUrl, int instancesMax, ExtensionClass extensionClass) {
    public static final int DEFAULT_INSTANCES_MAX = 3;

    /** A sysext's transfer. */
    public TransferFile(String name, String sourceUrl, int instancesMax) {
        this(name, sourceUrl, instancesMax, ExtensionClass.SYSEXT);
    }

    public TransferFile {
        extensionClass = extensionClass == null ? ExtensionClass.SYSEXT : extensionClass;
        if (!sourceUrl.endsWith("/")) {
            sourceUrl = sourceUrl + "/";
        }
        if (instancesMax < 2) {
            throw new IllegalArgumentException("InstancesMax below 2");
        }
    }

    public String matchPattern() {
        return MatchPattern.forExtension(name);
    }

    /** Where the node keeps the versions: {@code /opt/extensions/NAME} ({@code /opt/confexts/NAME}). */
    public String targetPath() {
        return ExtensionConfig.storeDirectory(extensionClass, name);
    }

    /** The link systemd-sysext reads: {@code /etc/extensions/NAME.raw} (systemd-confext: {@code /var/lib/confexts/NAME.raw}). */
    public String currentSymlink() {
        return ExtensionConfig.enableLink(extensionClass, name);
    }

    /** {@code NAME.transfer} for systemd ≥ 257, else {@code NAME.conf} (256 and older ignore .transfer). */
    public String fileName(SystemdVersion systemd) {
        return name + suffix(systemd);
    }

    public static String suffix(SystemdVersion systemd) {
        return systemd.usesTransferSuffix() ? ".transfer" : ".conf";
    }

    /** Where the node reads it: {@code /etc/sysupdate.NAME.d/FILE}, selected by {@code systemd-sysupdate -C NAME}. */
    public String nodePath(SystemdVersion systemd) {
        return "/etc/sysupdate." + name + ".d/" + fileName(systemd);
    }

    public String render() {
        return "# systemd-sysupdate transfer for the " + extensionClass.id() + " '" + name + "' (written by sysextctl)\n"
                + "[Transfer]\n"
                + "Verify=false\n"
                + "\n"
                + "[Source]\n"
                + "Type=url-file\n"
                + "Path=" + specifierEscape(sourceUrl) + "\n"
                + "MatchPattern=" + matchPattern() + "\n"
                + "\n"
                + "[Target]\n"
                + "Type=regular-file\n"
                + "Path=" + specifierEscape(targetPath()) + "\n"
                + "MatchPattern=" + matchPattern() + "\n"
                + "CurrentSymlink=" + specifierEscape(currentSymlink()) + "\n"
                + "InstancesMax=" + instancesMax + "\n";
    }

    private static String specifierEscape(String s) {
        return s.replace("%", "%%");
    }

    /** The {@code [Source] Path=} of a rendered transfer file (specifiers unescaped), if it has one. */
    public static Optional<String> sourcePathOf(String transferText) {
        String section = "";
        for (String raw : transferText.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line;
            } else if (section.equals("[Source]") && line.startsWith("Path=")) {
                return Optional.of(line.substring("Path=".length()).strip().replace("%%", "%"));
            }
        }
        return Optional.empty();
    }
}
