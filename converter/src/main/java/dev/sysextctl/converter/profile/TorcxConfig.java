package dev.sysextctl.converter.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * torcx's optional common configuration ({@code /etc/torcx/config.json}, kind {@code torcx-config-v0},
 * {@code config.go}): non-empty {@code base_dir} and {@code conf_dir} replace the defaults, {@code store_paths}
 * are appended after the OEM stores. {@code problem} is set when torcx would have refused the file.
 */
public record TorcxConfig(String baseDir, String confDir, List<String> storePaths, String problem) {
    public static final String KIND = "torcx-config-v0";
    public static final TorcxConfig NONE = new TorcxConfig(null, null, List.of(), null);

    public TorcxConfig {
        storePaths = List.copyOf(storePaths);
    }

    public static TorcxConfig parse(byte[] json, String where) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            return new TorcxConfig(null, null, List.of(), where + " is not valid JSON; torcx failed on it (no "
                    + "images were applied at boot); ignored");
        }
        if (root == null || !KIND.equals(root.path("kind").asText())) {
            return new TorcxConfig(null, null, List.of(), where + " has kind '"
                    + (root == null ? "" : root.path("kind").asText()) + "', not " + KIND + "; torcx failed on it "
                    + "(no images were applied at boot); ignored");
        }
        JsonNode v = root.path("value");
        List<String> stores = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (JsonNode s : v.path("store_paths")) {
            String p = s.asText("");
            (p.startsWith("/") ? stores : bad).add(p);
        }
        String base = emptyToNull(v.path("base_dir").asText(""));
        String conf = emptyToNull(v.path("conf_dir").asText(""));
        String problem = null;
        if ((base != null && !base.startsWith("/")) || (conf != null && !conf.startsWith("/")) || !bad.isEmpty()) {
            problem = where + " holds relative paths, which torcx refused (no images were applied at boot); ignored";
            return new TorcxConfig(null, null, List.of(), problem);
        }
        return new TorcxConfig(base, conf, stores, null);
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
