package dev.sysextctl.provision.ignition;

import dev.sysextctl.core.error.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * sysextctl's own system extension ({@code scripts/package} makes {@code sysextctl-VERSION-ARCH.raw}), added to a
 * config by {@code ignition --with-sysextctl}: a local image file, downloaded from {@code --base-url} like the
 * other images (so its SHA-512 is in the config), or a URL the node downloads it from as it is (no hash known).
 */
public sealed interface SysextctlImage {
    /** The extension name sysextctl's sysext carries ({@code extension-release.sysextctl}). */
    String NAME = "sysextctl";

    /** A local image file: read, checked and served from {@code --base-url} like every other image. */
    record File(Path path) implements SysextctlImage {
    }

    /**
     * A remote image.
     *
     * @param url the http(s) URL the node downloads it from
     * @param fileName the name it gets under {@code /opt/extensions/sysextctl/} (the URL's last segment)
     */
    record Url(String url, String fileName) implements SysextctlImage {
    }

    /** {@code http://…} or {@code https://…} is a URL, anything else a file. */
    static SysextctlImage parse(String text) throws UsageException {
        String t = text.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            if (t.isEmpty() || lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
                throw new UsageException("--with-sysextctl '" + text + "' is neither an image file nor an http(s) "
                        + "URL; give sysextctl's sysext (scripts/package writes dist/sysextctl-VERSION-ARCH.raw) or "
                        + "the URL it is served at");
            }
            return new File(Path.of(t));
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new UsageException("--with-sysextctl '" + text + "' is not a URL (" + e.getReason()
                    + "); give e.g. https://example.com/sysext/sysextctl-1.0-x86-64.raw");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String segment = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        if (uri.getHost() == null || !SAFE_FILE.matcher(segment).matches()) {
            throw new UsageException("--with-sysextctl '" + text + "' must be an http(s) URL with a host whose last "
                    + "segment is the image's file name (letters, digits and . _ + -, ending in .raw), e.g. "
                    + "https://example.com/sysext/sysextctl-1.0-x86-64.raw");
        }
        return new Url(uri.toString(), segment);
    }

    /** A file name usable unquoted in the config's paths. */
    Pattern SAFE_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*\\.raw");
}
