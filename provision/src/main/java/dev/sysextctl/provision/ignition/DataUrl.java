package dev.sysextctl.provision.ignition;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Inline file contents as Butane writes them into Ignition (docs/torcx.md §5.2,
 * {@code MakeDataURL}): the shorter of {@code data:,<percent-escaped>} and {@code data:;base64,<base64>},
 * the escaped form on a tie. (Butane may also gzip long contents; sysextctl never does, so the JSON stays
 * readable and needs no {@code compression}.)
 */
public final class DataUrl {
    private DataUrl() {
    }

    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        String escaped = "data:," + escape(bytes);
        String base64 = "data:;base64," + Base64.getEncoder().encodeToString(bytes);
        return base64.length() < escaped.length() ? base64 : escaped;
    }

    /** Keeps {@code [A-Za-z0-9-_.~]}, writes everything else as {@code %XX} (uppercase hex). */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    /** The bytes of a {@code data:} URL of either form, as text (for tests and round trips). */
    public static String decode(String url) {
        if (url.startsWith("data:;base64,")) {
            return new String(Base64.getDecoder().decode(url.substring("data:;base64,".length())),
                    StandardCharsets.UTF_8);
        }
        if (!url.startsWith("data:,")) {
            throw new IllegalArgumentException("not a data URL written by sysextctl: " + url);
        }
        String s = url.substring("data:,".length());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
