package dev.sysextctl.merger.mount;

import java.util.List;

/** Quoting for the commands sent to the namespace shell. */
public final class Shell {
    private Shell() {
    }

    /** {@code 'text'} with embedded single quotes closed, escaped and reopened. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    public static String command(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(a.matches("[A-Za-z0-9_./=:,+-]+") ? a : quote(a));
        }
        return sb.toString();
    }
}
