package dev.sysextctl.provision.ignition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.provision.ignition.NodeConfig.Dropin;
import dev.sysextctl.provision.ignition.NodeConfig.NodeDirectory;
import dev.sysextctl.provision.ignition.NodeConfig.NodeFile;
import dev.sysextctl.provision.ignition.NodeConfig.NodeLink;
import dev.sysextctl.provision.ignition.NodeConfig.NodeUnit;

/**
 * Writes a {@link NodeConfig} as an Ignition v3 config (docs/torcx.md §5.1): modes in decimal,
 * files, then directories, then links,
 * downloads with {@code verification.hash = "sha512-…"}, inline contents as {@code data:} URLs with
 * {@code "compression": ""} (as Butane writes them), empty sections left out.
 */
public final class IgnitionJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private IgnitionJson() {
    }

    public static ObjectNode tree(NodeConfig config) {
        ObjectNode root = F.objectNode();
        root.putObject("ignition").put("version", config.spec().version());
        if (!config.files().isEmpty() || !config.directories().isEmpty() || !config.links().isEmpty()) {
            ObjectNode storage = root.putObject("storage");
            if (!config.files().isEmpty()) {
                ArrayNode files = storage.putArray("files");
                for (NodeFile f : config.files()) {
                    files.add(file(f));
                }
            }
            if (!config.directories().isEmpty()) {
                ArrayNode directories = storage.putArray("directories");
                for (NodeDirectory d : config.directories()) {
                    ObjectNode o = directories.addObject().put("path", d.path()).put("mode", d.mode());
                    if (d.overwrite() != null) {
                        o.put("overwrite", d.overwrite());
                    }
                }
            }
            if (!config.links().isEmpty()) {
                ArrayNode links = storage.putArray("links");
                for (NodeLink l : config.links()) {
                    links.add(link(l));
                }
            }
        }
        if (!config.units().isEmpty()) {
            ArrayNode units = root.putObject("systemd").putArray("units");
            for (NodeUnit u : config.units()) {
                units.add(unit(u));
            }
        }
        return root;
    }

    /** The config as pretty JSON, two-space indented, with a trailing newline. */
    public static String render(NodeConfig config) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return Json.mapper().writer(printer).writeValueAsString(tree(config)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the Ignition config: " + e.getMessage(), e);
        }
    }

    private static ObjectNode file(NodeFile f) {
        ObjectNode o = F.objectNode();
        o.put("path", f.path());
        o.put("mode", f.mode());
        ObjectNode contents = o.putObject("contents");
        if (f.isInline()) {
            contents.put("source", DataUrl.encode(f.inline()));
            contents.put("compression", "");
        } else {
            contents.put("source", f.source());
            if (f.sha512() != null) {
                contents.putObject("verification").put("hash", "sha512-" + f.sha512());
            }
        }
        return o;
    }

    private static ObjectNode link(NodeLink l) {
        ObjectNode o = F.objectNode();
        o.put("path", l.path());
        o.put("target", l.target());
        if (l.hard() != null) {
            o.put("hard", l.hard());
        }
        if (l.overwrite() != null) {
            o.put("overwrite", l.overwrite());
        }
        return o;
    }

    private static ObjectNode unit(NodeUnit u) {
        ObjectNode o = F.objectNode();
        o.put("name", u.name());
        if (u.enabled() != null) {
            o.put("enabled", u.enabled());
        }
        if (!u.dropins().isEmpty()) {
            ArrayNode d = o.putArray("dropins");
            for (Dropin dropin : u.dropins()) {
                d.addObject().put("name", dropin.name()).put("contents", dropin.contents());
            }
        }
        return o;
    }
}
