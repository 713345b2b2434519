package dev.sysextctl.converter.profile;

import dev.sysextctl.core.tree.ImagePaths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where torcx looked for things on a node (absolute node paths; {@code paths.go}, {@code common.go},
 * docs/torcx.md §1.2, §2.1), with the config file's overrides applied.
 */
public record TorcxPaths(String confDir, String baseDir) {
    public static final String VENDOR_DIR = "/usr/share/torcx";
    public static final String OEM_DIR = "/usr/share/oem/torcx";
    public static final String CONFIG_FILE = "/etc/torcx/config.json";
    public static final String OS_RELEASE = "/usr/lib/os-release";
    public static final String DEFAULT_CONF_DIR = "/etc/torcx";
    public static final String DEFAULT_BASE_DIR = "/var/lib/torcx";
    public static final String GENERATOR_OVERRIDE = "/etc/systemd/system-generators/torcx-generator";

    public static TorcxPaths of(TorcxConfig config) {
        return new TorcxPaths(trim(config.confDir() != null ? config.confDir() : DEFAULT_CONF_DIR),
                trim(config.baseDir() != null ? config.baseDir() : DEFAULT_BASE_DIR));
    }

    private static String trim(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Profile directories in torcx's order: vendor, OEM, user (later ones override same names). */
    public List<String> profileDirs() {
        return List.of(VENDOR_DIR + "/profiles", OEM_DIR + "/profiles", confDir + "/profiles");
    }

    public String nextProfile() {
        return confDir + "/next-profile";
    }

    /** Flatcar's docker-1.12 flag file: {@code dirname(conf_dir)/flatcar/docker-1.12}. */
    public String dockerFlag() {
        return ImagePaths.directoryOf(confDir) + "/flatcar/docker-1.12";
    }

    /**
     * The store search order (§2.1): vendor, versioned OEM, OEM, config {@code store_paths}, versioned user, user.
     * Versioned entries only when the OS has a {@code VERSION_ID}.
     */
    public List<String> storePaths(String versionId, List<String> configStores) {
        List<String> out = new ArrayList<>();
        out.add(VENDOR_DIR + "/store");
        if (versionId != null && !versionId.isEmpty()) {
            out.add(OEM_DIR + "/store/" + versionId);
        }
        out.add(OEM_DIR + "/store");
        out.addAll(configStores);
        if (versionId != null && !versionId.isEmpty()) {
            out.add(baseDir + "/store/" + versionId);
        }
        out.add(baseDir + "/store");
        return out;
    }
}
