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
        return target.startsWith("/") || lexicalResolve(directoryOf(linkPath), target) != null;
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

    /** The directory {@code path} is in, {@code ""} (the image root) for a top-level path. */
    public static String directoryOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    /** The last component of {@code path} ({@code usr/bin/x} → {@code x}). */
    public static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /**
     * {@code dir/target} normalised lexically (no file system is looked at), or null when it climbs above the root;
     * an absolute {@code target} starts from the root and ignores {@code dir}. {@code ("usr/bin", "../lib/x")} →
     * {@code usr/lib/x}.
     */
    public static String lexicalResolve(String dir, String target) {
        List<String> parts = new ArrayList<>();
        if (!target.startsWith("/")) {
            for (String c : dir.split("/")) {
                if (!c.isEmpty()) {
                    parts.add(c);
                }
            }
        }
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(c);
            }
        }
        return String.join("/", parts);
    }

    /**
     * The relative link text from the directory {@code fromDir} to {@code to} (both relative to the image root):
     * {@code ("usr/bin", "usr/lib/x")} → {@code ../lib/x}; {@code .} when they are the same.
     */
    public static String relativize(String fromDir, String to) {
        String[] from = fromDir.isEmpty() ? new String[0] : fromDir.split("/");
        String[] dest = to.isEmpty() ? new String[0] : to.split("/");
        int common = 0;
        while (common < from.length && common < dest.length && from[common].equals(dest[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < from.length; i++) {
            sb.append(sb.length() > 0 ? "/" : "").append("..");
        }
        for (int i = common; i < dest.length; i++) {
            sb.append(sb.length() > 0 ? "/" : "").append(dest[i]);
        }
        return sb.length() == 0 ? "." : sb.toString();
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
