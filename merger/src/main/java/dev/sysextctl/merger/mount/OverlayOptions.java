package dev.sysextctl.merger.mount;

import java.util.List;

/**
 * The option string of a read-only overlay: {@code ro,lowerdir=L1:L2:…}, with {@code \}, {@code :} and
 * {@code ,} backslash-escaped as systemd does. Paths that cannot travel in a mount option at all (a {@code "}
 * or a control character, which libmount's option parser chokes on) need an alias ({@link #needsAlias}).
 */
public final class OverlayOptions {
    /**
     * The most option bytes mount(2) takes: the kernel copies one page of data and refuses a longer string (the
     * {@code ro} flag travels as MS_RDONLY, not in the data).
     */
    public static final int MAX_DATA = 4095;

    private OverlayOptions() {
    }

    /** True when {@code options} (from {@link #readOnly}) fits in the one page of data mount(2) takes. */
    public static boolean fits(String options) {
        String data = options.startsWith("ro,") ? options.substring(3) : options;
        return data.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_DATA;
    }

    /**
     * {@code dirs} with those under {@code base} made relative to it ({@code /run/systemd/sysext/extensions/a/usr}
     * → {@code a/usr}, {@code /run/systemd/sysext/meta/usr} → {@code ../meta/usr} for base
     * {@code /run/systemd/sysext/extensions}); overlayfs resolves relative layers from the mounting process's
     * working directory. Paths elsewhere stay absolute.
     */
    public static List<String> relativeTo(String base, List<String> dirs) {
        String parent = base.substring(0, base.lastIndexOf('/'));
        List<String> out = new java.util.ArrayList<>(dirs.size());
        for (String d : dirs) {
            if (d.startsWith(base + "/")) {
                out.add(d.substring(base.length() + 1));
            } else if (d.startsWith(parent + "/")) {
                out.add(".." + d.substring(parent.length()));
            } else {
                out.add(d);
            }
        }
        return out;
    }

    public static String readOnly(List<String> lowerDirs) {
        StringBuilder sb = new StringBuilder("ro,lowerdir=");
        for (int i = 0; i < lowerDirs.size(); i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(escape(lowerDirs.get(i)));
        }
        return sb.toString();
    }

    static String escape(String path) {
        StringBuilder sb = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (c == '\\' || c == ':' || c == ',') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    public static boolean needsAlias(String path) {
        for (char c : path.toCharArray()) {
            if (c == '"' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
