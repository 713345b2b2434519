package dev.sysextctl.core.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Normalisation and safety of paths inside an image or archive: {@code ./usr//bin/} → {@code usr/bin};
 * absolute paths and {@code ..} components are unsafe, as are link targets that climb out of the tree.
 */
public final class ImagePaths {
    private ImagePaths() {
    }

    /**
     * The normalised relative form of an archive entry name, or empty when the name is absolute or contains a
     * {@code ..} component (the {@code unsafe-path} rule). {@code ./} prefixes, repeated and trailing slashes
     * and {@code .} components are dropped.
     */
    public static Optional<String> normalize(String name) {
        if (name.startsWith("/")) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                return Optional.empty();
            }
            parts.add(c);
        }
        return Optional.of(String.join("/", parts));
    }

    /**
     * Whether a symlink at {@code linkPath} with text {@code target} stays inside the tree when resolved
     * lexically: relative targets may use {@code ..} only as far as the tree's root. Absolute targets are
     * resolved by the running system, not inside the image, and count as inside (the lint rule
     * {@code absolute-symlink} looks at them separately).
     */
    public static boolean relativeLinkStaysInside(String linkPath, String target) {
        if (target.startsWith("/")) {
            return true;
        }
        int depth = 0;
        String parent = linkPath.contains("/") ? linkPath.substring(0, linkPath.lastIndexOf('/')) : "";
        for (String c : parent.split("/")) {
            if (!c.isEmpty()) {
                depth++;
            }
        }
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (--depth < 0) {
                    return false;
                }
            } else {
                depth++;
            }
        }
        return true;
    }

    /**
     * The parent directory of {@code path} ({@code usr/bin/x} → {@code usr/bin}), null for a top-level path. Walking
     * up with it from an entry and stopping at the first known directory keeps the work per entry to the directories
     * it adds, where {@link #parents} costs the square of the path's depth for every entry.
     */
    public static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? null : path.substring(0, i);
    }

    /** The parent directories of {@code path}, outermost first ({@code usr/bin/x} → {@code usr, usr/bin}). */
    public static List<String> parents(String path) {
        List<String> out = new ArrayList<>();
        int i = path.indexOf('/');
        while (i >= 0) {
            out.add(path.substring(0, i));
            i = path.indexOf('/', i + 1);
        }
        return out;
    }

    /**
     * {@code name} for a line of human output, C-escaped as systemd escapes names it prints: backslash and the
     * control characters become {@code \\}, {@code \n}, {@code \t}, ... or {@code \xNN}, so that a name can never
     * break or forge a line. Other characters are kept.
     */
    public static String cescape(String name) {
        StringBuilder out = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            String esc = switch (c) {
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\r' -> "\\r";
                case 0x07 -> "\\a";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case 0x0b -> "\\v";
                default -> c < 0x20 || (c >= 0x7f && c < 0xa0) ? String.format("\\x%02x", (int) c) : null;
            };
            if (esc != null && out == null) {
                out = new StringBuilder(name.length() + 16).append(name, 0, i);
            }
            if (out != null) {
                if (esc != null) {
                    out.append(esc);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? name : out.toString();
    }
}
