package dev.sysextctl.core.release;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of an os-release or extension-release file, in file order, a repeated key keeping its last value
 * (systemd's {@code strv_env_pairs_get()} and {@code parse_env_file()} both end with the last assignment).
 * "Empty" in systemd's rules means missing or {@code ""}; {@link #get} returns {@code ""} for both, and
 * {@link #has} tells them apart where that matters ({@code SYSEXT_SCOPE=} present but empty).
 */
public record ReleaseFile(Map<String, String> fields) {
    public static final ReleaseFile EMPTY = new ReleaseFile(Map.of());

    public ReleaseFile {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ReleaseFile of(List<Map.Entry<String, String>> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : pairs) {
            m.remove(e.getKey());
            m.put(e.getKey(), e.getValue());
        }
        return new ReleaseFile(m);
    }

    public String get(String key) {
        return fields.getOrDefault(key, "");
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** One assignment per line, quoted where needed, trailing newline. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(EnvFile.assignment(k, v)).append('\n'));
        return sb.toString();
    }
}
