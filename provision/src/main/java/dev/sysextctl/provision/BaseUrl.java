package dev.sysextctl.provision;

import dev.sysextctl.core.error.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The {@code --base-url} of a download site: an {@code http} or {@code https} directory URL under which the
 * images (and SHA256SUMS, transfer files) are served. Kept without a trailing slash; {@link #directory()} adds
 * one, {@link #file(String)} appends a percent-encoded file name.
 */
public record BaseUrl(String value) {
    public BaseUrl {
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
    }

    public static BaseUrl parse(String text) throws UsageException {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("--base-url '" + text + "' is not a URL (" + e.getReason()
                    + "); give the http(s) directory the images are served from, e.g. https://example.com/sysext/");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new UsageException("--base-url '" + text + "' is not an http or https URL; Ignition and "
                    + "systemd-sysupdate download from http(s), e.g. https://example.com/sysext/");
        }
        if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new UsageException("--base-url '" + text + "' must be a plain directory URL with a host and no "
                    + "?query or #fragment, e.g. https://example.com/sysext/");
        }
        return new BaseUrl(uri.toString());
    }

    /** The directory URL ending in {@code /} (what a transfer file's {@code [Source] Path=} holds). */
    public String directory() {
        return value + "/";
    }

    /** The URL of a file in the directory. */
    public String file(String fileName) {
        return value + "/" + encodeSegment(fileName);
    }

    /** Percent-encodes everything but unreserved characters and a few safe sub-delimiters. */
    public static String encodeSegment(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~+,=@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return value;
    }
}
