package dev.sysextctl.provision.ignition;

import dev.sysextctl.provision.ignition.NodeConfig.Dropin;
import dev.sysextctl.provision.ignition.NodeConfig.NodeDirectory;
import dev.sysextctl.provision.ignition.NodeConfig.NodeFile;
import dev.sysextctl.provision.ignition.NodeConfig.NodeLink;
import dev.sysextctl.provision.ignition.NodeConfig.NodeUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes a {@link NodeConfig} as Butane {@code variant: flatcar} YAML (1.1.0 for Ignition 3.4.0, 1.0.0 for
 * 3.3.0), the form the Flatcar docs show: modes in octal ({@code 0644}), inline contents as literal blocks.
 * Butane translates it into the same config {@link IgnitionJson} writes. Hand-written: the shapes are few and
 * fixed, and a scalar is left plain only when it cannot be read as anything but that string.
 */
public final class ButaneYaml {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/_][A-Za-z0-9/_.:@%+=,~-]*");
    private static final Pattern SPECIAL = Pattern.compile(
            "(?i)y|n|yes|no|true|false|on|off|null");

    private final StringBuilder out = new StringBuilder();

    private ButaneYaml() {
    }

    public static String render(NodeConfig config) {
        ButaneYaml y = new ButaneYaml();
        y.write(config);
        return y.out.toString();
    }

    private void write(NodeConfig config) {
        line(0, "variant: flatcar");
        line(0, "version: " + config.spec().butaneVersion());
        if (!config.files().isEmpty() || !config.directories().isEmpty() || !config.links().isEmpty()) {
            line(0, "storage:");
            if (!config.files().isEmpty()) {
                line(2, "files:");
                for (NodeFile f : config.files()) {
                    line(4, "- path: " + scalar(f.path()));
                    line(6, "mode: 0" + Integer.toOctalString(f.mode()));
                    line(6, "contents:");
                    if (f.isInline()) {
                        block(8, "inline", f.inline());
                    } else {
                        line(8, "source: " + scalar(f.source()));
                        if (f.sha512() != null) {
                            line(8, "verification:");
                            line(10, "hash: " + scalar("sha512-" + f.sha512()));
                        }
                    }
                }
            }
            if (!config.directories().isEmpty()) {
                line(2, "directories:");
                for (NodeDirectory d : config.directories()) {
                    line(4, "- path: " + scalar(d.path()));
                    line(6, "mode: 0" + Integer.toOctalString(d.mode()));
                    if (d.overwrite() != null) {
                        line(6, "overwrite: " + d.overwrite());
                    }
                }
            }
            if (!config.links().isEmpty()) {
                line(2, "links:");
                for (NodeLink l : config.links()) {
                    line(4, "- path: " + scalar(l.path()));
                    line(6, "target: " + scalar(l.target()));
                    if (l.hard() != null) {
                        line(6, "hard: " + l.hard());
                    }
                    if (l.overwrite() != null) {
                        line(6, "overwrite: " + l.overwrite());
                    }
                }
            }
        }
        if (!config.units().isEmpty()) {
            line(0, "systemd:");
            line(2, "units:");
            for (NodeUnit u : config.units()) {
                line(4, "- name: " + scalar(u.name()));
                if (u.enabled() != null) {
                    line(6, "enabled: " + u.enabled());
                }
                if (!u.dropins().isEmpty()) {
                    line(6, "dropins:");
                    for (Dropin d : u.dropins()) {
                        line(8, "- name: " + scalar(d.name()));
                        block(10, "contents", d.contents());
                    }
                }
            }
        }
    }

    private void line(int indent, String text) {
        out.append(" ".repeat(indent)).append(text).append('\n');
    }

    /** {@code key: |} and the text indented below it, or a quoted scalar when a block cannot hold it. */
    private void block(int indent, String key, String text) {
        if (!fitsLiteralBlock(text)) {
            line(indent, key + ": " + quoted(text));
            return;
        }
        String indicator = text.startsWith(" ") ? "|2" : "|";
        line(indent, key + ": " + indicator);
        String body = text.substring(0, text.length() - 1);
        for (String l : body.split("\n", -1)) {
            if (l.isEmpty()) {
                out.append('\n');
            } else {
                line(indent + 2, l);
            }
        }
    }

    /** A literal block keeps exactly one final newline ("clip") and cannot hold control characters. */
    private static boolean fitsLiteralBlock(String text) {
        if (text.isEmpty() || !text.endsWith("\n") || text.endsWith("\n\n")) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n') || c == 0x7f || c == '\uFEFF') {
                return false;
            }
        }
        return true;
    }

    /** The string as a plain scalar when it is unambiguous, else double-quoted. */
    static String scalar(String s) {
        if (PLAIN.matcher(s).matches() && !SPECIAL.matcher(s).matches() && !s.endsWith(":")) {
            return s;
        }
        return quoted(s);
    }

    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
