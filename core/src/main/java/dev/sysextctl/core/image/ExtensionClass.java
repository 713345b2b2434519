package dev.sysextctl.core.image;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Optional;

/**
 * The two classes of extension image systemd merges: a system extension ({@code systemd-sysext}, over {@code /usr}
 * and {@code /opt}) and a configuration extension ({@code systemd-confext}, systemd 254 and later, over {@code /etc}).
 * Everything that differs between them is here, so the builder, the linter, the merger and provisioning ask one
 * place; docs/compatibility.md §1.1 (search directories), §2.1 (release file), §4.3 (hierarchies), §4.4 (markers).
 */
public enum ExtensionClass {
    SYSEXT("sysext", "systemd-sysext", "usr/lib/extension-release.d", "SYSEXT_LEVEL", "SYSEXT_SCOPE",
            "SYSTEMD_SYSEXT_HIERARCHIES", List.of("/usr", "/opt"), ".systemd-sysext", "extensions", 248),
    CONFEXT("confext", "systemd-confext", "etc/extension-release.d", "CONFEXT_LEVEL", "CONFEXT_SCOPE",
            "SYSTEMD_CONFEXT_HIERARCHIES", List.of("/etc"), ".systemd-confext", "confexts", 254);

    private final String id;
    private final String systemdTool;
    private final String releaseDirectory;
    private final String levelKey;
    private final String scopeKey;
    private final String hierarchiesVariable;
    private final List<String> defaultHierarchies;
    private final String markerDirectory;
    private final String directoryName;
    private final int firstSystemd;

    ExtensionClass(String id, String systemdTool, String releaseDirectory, String levelKey, String scopeKey,
            String hierarchiesVariable, List<String> defaultHierarchies, String markerDirectory, String directoryName,
            int firstSystemd) {
        this.id = id;
        this.systemdTool = systemdTool;
        this.releaseDirectory = releaseDirectory;
        this.levelKey = levelKey;
        this.scopeKey = scopeKey;
        this.hierarchiesVariable = hierarchiesVariable;
        this.defaultHierarchies = defaultHierarchies;
        this.markerDirectory = markerDirectory;
        this.directoryName = directoryName;
        this.firstSystemd = firstSystemd;
    }

    /** {@code sysext} or {@code confext}: the word of {@code --class} and of JSON output. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The systemd tool that merges this class: {@code systemd-sysext} or {@code systemd-confext}. */
    public String systemdTool() {
        return systemdTool;
    }

    /** The unit that merges this class at boot: {@code systemd-sysext.service} or {@code systemd-confext.service}. */
    public String serviceUnit() {
        return systemdTool + ".service";
    }

    /** Where an image of this class carries its extension-release file, relative to the image root. */
    public String releaseDirectory() {
        return releaseDirectory;
    }

    /** {@code RELEASE_DIR/extension-release.NAME}. */
    public String releasePath(String name) {
        return releaseDirectory + "/extension-release." + name;
    }

    /** The level field matched against the host's field of the same name: {@code SYSEXT_LEVEL}, {@code CONFEXT_LEVEL}. */
    public String levelKey() {
        return levelKey;
    }

    /**
     * The field {@code build --version} writes: {@code SYSEXT_VERSION_ID}, or for a confext {@code CONFEXT_VERSION_ID}
     * (os-release(5) names only the {@code SYSEXT_} prefix for the fields that describe an extension itself; the
     * confext's own prefix is sysextctl's choice, docs/compatibility.md §2.7).
     */
    public String versionKey() {
        return this == SYSEXT ? "SYSEXT_VERSION_ID" : "CONFEXT_VERSION_ID";
    }

    /** The top-level directories of an image of this class that are merged: {@code usr opt} or {@code etc}. */
    public List<String> topLevels() {
        return defaultHierarchies.stream().map(h -> h.substring(1)).toList();
    }

    /** The other class. */
    public ExtensionClass other() {
        return this == SYSEXT ? CONFEXT : SYSEXT;
    }

    /** The scope field: {@code SYSEXT_SCOPE} or {@code CONFEXT_SCOPE}. */
    public String scopeKey() {
        return scopeKey;
    }

    /** The environment variable that overrides the hierarchies. */
    public String hierarchiesVariable() {
        return hierarchiesVariable;
    }

    /** The hierarchies merged by default: {@code /usr /opt} or {@code /etc}. */
    public List<String> defaultHierarchies() {
        return defaultHierarchies;
    }

    /** The marker directory at the top of a merged hierarchy: {@code .systemd-sysext} or {@code .systemd-confext}. */
    public String markerDirectory() {
        return markerDirectory;
    }

    /** The oldest systemd release that has this class. */
    public int firstSystemd() {
        return firstSystemd;
    }

    /** Whether systemd {@code version} merges this class at all. */
    public boolean supportedBy(SystemdVersion version) {
        return version.atLeast(firstSystemd);
    }

    /** {@code /var/lib/extensions} or {@code /var/lib/confexts}: the persistent store systemd searches. */
    public String varLibDirectory() {
        return "/var/lib/" + directoryName;
    }

    /** {@code /run/extensions} or {@code /run/confexts}: the search directory that lasts until the next boot. */
    public String runDirectory() {
        return "/run/" + directoryName;
    }

    /**
     * The image search directories of systemd {@code version}, highest priority first: for a sysext
     * {@link SystemdVersion#searchDirs()}; for a confext (254 and later) {@code /run/confexts}, {@code /var/lib/confexts},
     * {@code /usr/local/lib/confexts}, {@code /usr/lib/confexts} (measured on 257.13: no {@code /etc/confexts}; an image
     * there is neither listed nor merged; docs/compatibility.md §1.1).
     */
    public List<String> searchDirs(SystemdVersion version) {
        if (this == SYSEXT) {
            return version.searchDirs();
        }
        return List.of("/run/confexts", "/var/lib/confexts", "/usr/local/lib/confexts", "/usr/lib/confexts");
    }

    /**
     * {@code extensions} or {@code confexts}: the file in the marker directory that lists the merged names
     * ({@code /etc/.systemd-confext/confexts}), and the directory of the merge workspace the images are mounted in
     * ({@code /run/systemd/sysext/confexts/NAME}), as systemd-confext 257 writes them (docs/compatibility.md §4.4).
     */
    public String plural() {
        return directoryName;
    }

    /** The source of the merged overlay in the mount table: {@code sysext} or {@code confext}. */
    public String overlaySource() {
        return id;
    }

    /**
     * The mount flags systemd puts on a merged overlay of this class beyond {@code ro}: none for a sysext (252, the
     * reference), {@code nosuid,nodev,noexec} for a confext (measured on 257.13; docs/compatibility.md §4.5).
     */
    public List<String> mountFlags() {
        return this == SYSEXT ? List.of() : List.of("nosuid", "nodev", "noexec");
    }

    /** {@code .sysext.raw} or {@code .confext.raw}: the suffix systemd 255+ strips from a raw image of this class. */
    public String rawSuffix() {
        return "." + id + ImageNames.RAW_SUFFIX;
    }

    /**
     * The image name of a search-directory entry of this class, as systemd 255+ reads it: {@code w.confext.raw} is
     * confext {@code w} (but {@code v.sysext.raw} is confext {@code v.sysext}); before 255 only {@code .raw} is
     * stripped. From 257 a directory loses the class suffix too: {@code d.sysext/} is sysext {@code d}, {@code
     * c.confext/} confext {@code c}. Empty when the entry is not an image name (docs/compatibility.md §1.3).
     */
    public Optional<String> imageName(String entryName, ImageType type, SystemdVersion version) {
        if (type == ImageType.DIRECTORY && version.stripsClassSuffixFromDirectories()
                && entryName.endsWith("." + id)) {
            String pretty = entryName.substring(0, entryName.length() - id.length() - 1);
            return ImageNames.isValid(pretty) ? Optional.of(pretty) : Optional.empty();
        }
        if (type == ImageType.RAW && version.stripsSysextSuffix() && entryName.endsWith(rawSuffix())) {
            String pretty = entryName.substring(0, entryName.length() - rawSuffix().length());
            return ImageNames.isValid(pretty) ? Optional.of(pretty) : Optional.empty();
        }
        if (this == CONFEXT && type == ImageType.RAW && entryName.endsWith(ImageNames.SYSEXT_RAW_SUFFIX)) {
            return ImageNames.fromEntry(entryName, type, SystemdVersion.V252);
        }
        return ImageNames.fromEntry(entryName, type, version);
    }

    /** The class named by {@code word} ({@code sysext}, {@code confext}), or null. */
    public static ExtensionClass byId(String word) {
        for (ExtensionClass c : values()) {
            if (c.id.equals(word)) {
                return c;
            }
        }
        return null;
    }
}
