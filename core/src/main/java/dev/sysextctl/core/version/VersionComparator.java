package dev.sysextctl.core.version;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;

/**
 * systemd's {@code strverscmp_improved()} (docs/compatibility.md §4.2): the order of extension layers (the highest
 * name is on top) and of sysupdate versions. Segments are numeric or alphabetic, optionally prefixed by
 * {@code ~} (oldest), {@code -}, {@code ^} or {@code .}; any other character only separates segments.
 */
public final class VersionComparator implements Comparator<String> {
    public static final VersionComparator INSTANCE = new VersionComparator();

    private VersionComparator() {
    }

    public static int compareVersions(String a, String b) {
        return INSTANCE.compare(a, b);
    }

    @Override
    public int compare(String as, String bs) {
        byte[] a = (as == null ? "" : as).getBytes(StandardCharsets.UTF_8);
        byte[] b = (bs == null ? "" : bs).getBytes(StandardCharsets.UTF_8);
        int i = 0;
        int j = 0;
        for (;;) {
            while (i < a.length && !isVersionChar(a[i])) {
                i++;
            }
            while (j < b.length && !isVersionChar(b[j])) {
                j++;
            }
            int ca = at(a, i);
            int cb = at(b, j);
            if (ca == '~' || cb == '~') {
                int r = Boolean.compare(ca != '~', cb != '~');
                if (r != 0) {
                    return r;
                }
                i++;
                j++;
                ca = at(a, i);
                cb = at(b, j);
            }
            if (ca == 0 || cb == 0) {
                return Integer.signum(ca - cb);
            }
            for (char sep : new char[] {'-', '^', '.'}) {
                if (ca == sep || cb == sep) {
                    int r = Boolean.compare(ca != sep, cb != sep);
                    if (r != 0) {
                        return r;
                    }
                    i++;
                    j++;
                    ca = at(a, i);
                    cb = at(b, j);
                }
            }
            int ea;
            int eb;
            if (isDigit(ca) || isDigit(cb)) {
                ea = i;
                while (isDigit(at(a, ea))) {
                    ea++;
                }
                eb = j;
                while (isDigit(at(b, eb))) {
                    eb++;
                }
                int r = Boolean.compare(i != ea, j != eb);
                if (r != 0) {
                    return r;
                }
                while (at(a, i) == '0') {
                    i++;
                }
                while (at(b, j) == '0') {
                    j++;
                }
                r = Integer.compare(ea - i, eb - j);
                if (r != 0) {
                    return r;
                }
                r = compareBytes(a, i, b, j, ea - i);
                if (r != 0) {
                    return r;
                }
            } else {
                ea = i;
                while (isAlpha(at(a, ea))) {
                    ea++;
                }
                eb = j;
                while (isAlpha(at(b, eb))) {
                    eb++;
                }
                int r = compareBytes(a, i, b, j, Math.min(ea - i, eb - j));
                if (r != 0) {
                    return r;
                }
                r = Integer.compare(ea - i, eb - j);
                if (r != 0) {
                    return r;
                }
            }
            i = ea;
            j = eb;
        }
    }

    private static int at(byte[] s, int i) {
        return i < s.length ? s[i] & 0xff : 0;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isVersionChar(byte c) {
        int u = c & 0xff;
        return isDigit(u) || isAlpha(u) || u == '~' || u == '-' || u == '^' || u == '.';
    }

    /** {@code strncmp} over {@code n} bytes (stopping at the end of either, which sorts first). */
    private static int compareBytes(byte[] a, int i, byte[] b, int j, int n) {
        for (int k = 0; k < n; k++) {
            int x = at(a, i + k);
            int y = at(b, j + k);
            if (x != y) {
                return Integer.signum(x - y);
            }
            if (x == 0) {
                return 0;
            }
        }
        return 0;
    }
}
