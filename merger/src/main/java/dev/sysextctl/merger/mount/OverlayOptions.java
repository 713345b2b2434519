package dev.sysextctl.merger.mount;

import java.util.List;

/**
 * The option string of a read-only overlay: {@code ro,lowerdir=L1:L2:…}, with {@code \}, {@code :} and
 * {@code ,} backslash-escaped as systemd does. Paths that cannot travel in a mount option at all (a {@code "}
 * or a control character, which libmount's option parser chokes on) need an alias ({@link #needsAlias}).
 */
public final class OverlayOptions {
    private OverlayOptions() {
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
