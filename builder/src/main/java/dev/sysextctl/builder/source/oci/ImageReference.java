package dev.sysextctl.builder.source.oci;

import dev.sysextctl.core.error.UsageException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image named on the command line: {@code docker-archive:FILE} (what {@code docker save} writes),
 * {@code oci-archive:FILE} (an OCI image layout in a tar archive) or {@code oci:DIR[:TAG]} (an OCI image layout
 * directory), each optionally followed by {@code @sha256:DIGEST}, the digest the image's manifest (or, for a
 * docker-archive without one, its config: the image ID) must have.
 *
 * @param kind the form
 * @param path the archive or layout directory
 * @param tag the tag to pick in a layout with several images ({@code oci:DIR:TAG}); null for none
 * @param digest {@code sha256:HEX} to check, or null
 */
public record ImageReference(Kind kind, Path path, String tag, String digest) {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /** The forms a container image can be given in. */
    public enum Kind {
        DOCKER_ARCHIVE("docker-archive"),
        OCI_ARCHIVE("oci-archive"),
        OCI_DIR("oci");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** {@code docker-archive}, {@code oci-archive}, {@code oci}. */
        public String prefix() {
            return prefix;
        }
    }

    /** Whether {@code source} is written as a container image ({@code docker-archive:}, {@code oci-archive:}, {@code oci:}). */
    public static boolean isReference(String source) {
        for (Kind k : Kind.values()) {
            if (source.startsWith(k.prefix + ":")) {
                return true;
            }
        }
        return false;
    }

    /** Parses {@code source}; empty when it is not written as a container image at all. */
    public static Optional<ImageReference> parse(String source) throws UsageException {
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (source.startsWith(k.prefix + ":")) {
                kind = k;
                break;
            }
        }
        if (kind == null) {
            return Optional.empty();
        }
        String rest = source.substring(kind.prefix.length() + 1);
        String digest = null;
        int at = rest.lastIndexOf("@sha256:");
        if (at < 0 && rest.matches(".*@[a-zA-Z0-9]+:.*")) {
            throw new UsageException(source + ": only sha256 digests can be checked; write " + kind.prefix
                    + ":PATH@sha256:HEX");
        }
        if (at >= 0) {
            digest = rest.substring(at + 1).toLowerCase(Locale.ROOT);
            rest = rest.substring(0, at);
            if (!SHA256.matcher(digest).matches()) {
                throw new UsageException(source + ": " + digest + " is not a sha256 digest; write @sha256: and 64 "
                        + "hexadecimal digits");
            }
        }
        String tag = null;
        if (kind == Kind.OCI_DIR) {
            int colon = rest.lastIndexOf(':');
            if (colon > rest.lastIndexOf('/')) {
                tag = rest.substring(colon + 1);
                rest = rest.substring(0, colon);
                if (tag.isEmpty()) {
                    throw new UsageException(source + " names an empty tag; write oci:DIR or oci:DIR:TAG");
                }
            }
        }
        if (rest.isEmpty()) {
            throw new UsageException(source + " names no " + (kind == Kind.OCI_DIR ? "directory" : "file") + "; write "
                    + kind.prefix + (kind == Kind.OCI_DIR ? ":DIR[:TAG]" : ":FILE"));
        }
        return Optional.of(new ImageReference(kind, Path.of(rest), tag, digest));
    }

    /** The reference as it would be written on the command line. */
    @Override
    public String toString() {
        return kind.prefix + ":" + path + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
