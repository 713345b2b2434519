package dev.sysextctl.converter.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A torcx image manifest ({@code .torcx/manifest.json}, {@code image-manifest-v0}, docs/torcx.md §2.3):
 * which paths inside the image are binaries and which are systemd units, networkd files, sysusers, tmpfiles
 * and udev rules. Every list holds absolute paths inside the image root. torcx reads {@code value} whatever
 * {@code kind} says; so does this class, and {@link #kindWarning()} says when the kind is unexpected.
 */
public record ImageManifest(String kind, List<String> bin, List<String> network, List<String> units,
        List<String> sysusers, List<String> tmpfiles, List<String> udevRules) {
    public static final String KIND_V0 = "image-manifest-v0";
    public static final String PATH = ".torcx/manifest.json";

    public ImageManifest {
        bin = List.copyOf(bin);
        network = List.copyOf(network);
        units = List.copyOf(units);
        sysusers = List.copyOf(sysusers);
        tmpfiles = List.copyOf(tmpfiles);
        udevRules = List.copyOf(udevRules);
    }

    /** @param where names the archive in messages */
    public static ImageManifest parse(byte[] json, String where) throws RefusedException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new RefusedException(where + ": " + PATH + " is not valid JSON (" + firstLine(e.getMessage())
                    + "); torcx would have failed on it too: fix the manifest or remove it from the archive");
        }
        if (root == null || !root.isObject()) {
            throw new RefusedException(where + ": " + PATH + " is not a JSON object; fix the manifest or remove it "
                    + "from the archive");
        }
        JsonNode value = root.path("value");
        return new ImageManifest(root.path("kind").asText(""), list(value, "bin", where),
                list(value, "network", where), list(value, "units", where), list(value, "sysusers", where),
                list(value, "tmpfiles", where), list(value, "udev_rules", where));
    }

    private static List<String> list(JsonNode value, String field, String where) throws RefusedException {
        JsonNode n = value.path(field);
        List<String> out = new ArrayList<>();
        if (n.isMissingNode() || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            throw new RefusedException(where + ": " + PATH + " field value." + field + " is not an array of paths; "
                    + "fix the manifest");
        }
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new RefusedException(where + ": " + PATH + " field value." + field + " holds a non-string "
                        + "entry; fix the manifest");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** A warning when {@code kind} is not {@code image-manifest-v0}, else null. */
    public String kindWarning() {
        return KIND_V0.equals(kind) ? null : "manifest kind is '" + kind + "', not '" + KIND_V0
                + "'; read like torcx does (the value's fields only)";
    }

    public boolean isEmpty() {
        return bin.isEmpty() && network.isEmpty() && units.isEmpty() && sysusers.isEmpty() && tmpfiles.isEmpty()
                && udevRules.isEmpty();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
