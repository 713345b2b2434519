package dev.sysextctl.provision.ignition;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Ignition 3.4.0 rules of docs/torcx.md §5.1 as a test oracle (Ignition 2.14, the newest real client
 * here, knows 3.4.0 only as experimental): the JSON schema in {@code ignition/config-v3_4.schema.json} for the
 * shapes, plus what a schema cannot say: clean absolute paths ({@code path.Clean(p) == p}), paths unique
 * across files, directories and links, nothing under a link's path, hashes that are the SHA-512 of what the
 * source serves, data URLs that decode, unique unit and drop-in names.
 */
public final class IgnitionRules {
    private static final JsonSchema SCHEMA_3_4 = load();
    private static final Pattern HASH = Pattern.compile("(sha512)-([0-9a-f]{128})|(sha256)-([0-9a-f]{64})");

    private IgnitionRules() {
    }

    private static JsonSchema load() {
        try (InputStream in = IgnitionRules.class.getResourceAsStream("/ignition/config-v3_4.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the 3.4.0 schema says is wrong, one line per problem (empty: valid). */
    public static List<String> schemaViolations(JsonNode config) {
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : SCHEMA_3_4.validate(config)) {
            out.add(m.getMessage());
        }
        return out;
    }

    /**
     * The semantic rules; {@code fetch} returns the bytes an http(s) source serves (or null), to check
     * verification hashes against.
     */
    public static List<String> semanticViolations(JsonNode config, Function<String, byte[]> fetch) {
        List<String> out = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        List<String> linkPaths = new ArrayList<>();
        for (String section : List.of("files", "directories", "links")) {
            for (JsonNode n : config.path("storage").path(section)) {
                String p = n.path("path").asText();
                if (!p.startsWith("/") || !clean(p).equals(p)) {
                    out.add(section + ": path '" + p + "' is not clean and absolute");
                }
                if (!paths.add(p)) {
                    out.add(section + ": duplicate path '" + p + "'");
                }
                if (section.equals("links")) {
                    linkPaths.add(p);
                }
            }
        }
        for (String p : paths) {
            for (String l : linkPaths) {
                if (p.startsWith(l + "/")) {
                    out.add("'" + p + "' lies under the link '" + l + "'");
                }
            }
        }
        for (JsonNode f : config.path("storage").path("files")) {
            JsonNode contents = f.path("contents");
            String source = contents.path("source").asText(null);
            String hash = contents.path("verification").path("hash").asText(null);
            if (f.path("overwrite").asBoolean(false) && source == null) {
                out.add(f.path("path").asText() + ": overwrite without contents.source");
            }
            if (source != null && source.startsWith("data:")) {
                try {
                    DataUrl.decode(source);
                } catch (RuntimeException e) {
                    out.add(f.path("path").asText() + ": undecodable data URL");
                }
            }
            if (hash != null) {
                var m = HASH.matcher(hash);
                if (!m.matches()) {
                    out.add(f.path("path").asText() + ": hash '" + hash + "' is not sha512-<128 hex> or "
                            + "sha256-<64 hex>");
                } else if (source != null && !source.startsWith("data:")) {
                    byte[] body = fetch.apply(source);
                    String algo = m.group(1) != null ? "SHA-512" : "SHA-256";
                    String want = m.group(1) != null ? m.group(2) : m.group(4);
                    if (body == null) {
                        out.add(f.path("path").asText() + ": source " + source + " serves nothing");
                    } else if (!digest(algo, body).equals(want)) {
                        out.add(f.path("path").asText() + ": hash does not match what " + source + " serves");
                    }
                }
            }
        }
        Set<String> units = new HashSet<>();
        for (JsonNode u : config.path("systemd").path("units")) {
            if (!units.add(u.path("name").asText())) {
                out.add("duplicate unit " + u.path("name").asText());
            }
            Set<String> dropins = new HashSet<>();
            for (JsonNode d : u.path("dropins")) {
                if (!dropins.add(d.path("name").asText())) {
                    out.add("duplicate drop-in " + d.path("name").asText() + " of " + u.path("name").asText());
                }
            }
        }
        return out;
    }

    /** Go's {@code path.Clean} for absolute paths. */
    static String clean(String p) {
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(s);
        }
        return "/" + String.join("/", parts);
    }

    static String digest(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
