package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a node has merged, asked four ways that must agree: {@code systemd-sysext status --json=short},
 * {@code sysextctl status --json}, the mount table (the overlay on the hierarchy and its lower layers) and the
 * {@code .systemd-sysext/extensions} marker systemd-sysext leaves in the merged tree.
 */
public final class MergedSet {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAYER_PREFIX = "/run/systemd/sysext/extensions/";

    private MergedSet() {
    }

    /**
     * Asserts that {@code /usr} has exactly {@code extensions} merged (in systemd's layer order, lowest first: the
     * {@code strverscmp} order of their names) by systemd-sysext, that {@code /opt} has nothing merged (the test
     * extensions ship only {@code /usr}), and that both tools report the same, hierarchy by hierarchy, with the
     * same "since".
     */
    public static void assertExactly(Node node, String... extensions) {
        List<String> expected = List.of(extensions);
        Map<String, Hierarchy> systemd = systemdStatus(node);
        Map<String, Hierarchy> sysextctl = sysextctlStatus(node);

        assertThat(sysextctl).as("sysextctl status vs systemd-sysext status").isEqualTo(systemd);
        assertThat(systemd.get("/usr")).as("systemd-sysext status of /usr").isNotNull();
        assertThat(systemd.get("/usr").extensions()).as("systemd-sysext status of /usr").isEqualTo(expected);
        if (systemd.containsKey("/opt")) {
            assertThat(systemd.get("/opt").extensions()).as("systemd-sysext status of /opt").isEmpty();
        }
        assertThat(overlayLayers(node, "/usr")).as("extension layers of the overlay on /usr (lowest first)")
                .isEqualTo(expected);
        assertThat(node.exec("cat", "/usr/.systemd-sysext/extensions").stdout())
                .as("/usr/.systemd-sysext/extensions")
                .isEqualTo(expected.isEmpty() ? "" : String.join("\n", expected) + "\n");
    }

    /** One hierarchy as a status command reports it: its extensions (empty when none) and since when (µs). */
    public record Hierarchy(List<String> extensions, Long since) {
    }

    /** {@code systemd-sysext status --json=short}, by hierarchy ({@code "none"} becomes an empty list). */
    public static Map<String, Hierarchy> systemdStatus(Node node) {
        JsonNode doc = parse(node.exec("systemd-sysext", "status", "--json=short").assertSuccess().stdout());
        Map<String, Hierarchy> out = new TreeMap<>();
        for (JsonNode h : doc) {
            JsonNode ext = h.get("extensions");
            List<String> names = new ArrayList<>();
            if (ext.isArray()) {
                ext.forEach(n -> names.add(n.asText()));
            } else {
                assertThat(ext.asText()).as("systemd-sysext's extensions of %s", h.get("hierarchy")).isEqualTo("none");
            }
            out.put(h.get("hierarchy").asText(), new Hierarchy(names, h.get("since").isNull() ? null
                    : h.get("since").asLong()));
        }
        return out;
    }

    /** {@code sysextctl status --json}, by hierarchy, only those that exist (systemd-sysext lists no others). */
    public static Map<String, Hierarchy> sysextctlStatus(Node node) {
        JsonNode doc = parse(node.sysextctl("status", "--json").assertSuccess().stdout());
        Map<String, Hierarchy> out = new TreeMap<>();
        for (JsonNode h : doc.get("hierarchies")) {
            if (!h.get("exists").asBoolean()) {
                continue;
            }
            List<String> names = new ArrayList<>();
            h.get("extensions").forEach(n -> names.add(n.asText()));
            assertThat(h.get("merged").asBoolean()).as("sysextctl's merged flag of %s", h.get("hierarchy"))
                    .isEqualTo(!names.isEmpty());
            out.put(h.get("hierarchy").asText(), new Hierarchy(names, h.get("since").isNull() ? null
                    : h.get("since").asLong()));
        }
        return out;
    }

    /**
     * The extensions whose layers make up the sysext overlay mounted on {@code hierarchy} (the topmost mount there),
     * lowest first; empty when no sysext overlay is mounted there.
     */
    public static List<String> overlayLayers(Node node, String hierarchy) {
        return overlayLayers(node.read("/proc/self/mountinfo"), hierarchy);
    }

    /** {@link #overlayLayers(Node, String)} from the text of a {@code mountinfo} file. */
    static List<String> overlayLayers(String mountinfo, String hierarchy) {
        String[] top = null;
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length > 4 && dash > 0 && dash + 3 < f.length && f[4].equals(hierarchy)) {
                top = new String[] {f[dash + 1], f[dash + 2], f[dash + 3]};
            }
        }
        if (top == null || !top[0].equals("overlay") || !top[1].equals("sysext")) {
            return List.of();
        }
        List<String> layers = new ArrayList<>();
        for (String option : top[2].split(",")) {
            if (option.startsWith("lowerdir=")) {
                for (String dir : option.substring("lowerdir=".length()).split(":")) {
                    if (dir.startsWith(LAYER_PREFIX) && dir.endsWith(hierarchy)) {
                        layers.add(0, dir.substring(LAYER_PREFIX.length(), dir.length() - hierarchy.length()));
                    }
                }
            }
        }
        return layers;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
