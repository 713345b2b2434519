package dev.sysextctl.provision.image;

import dev.sysextctl.core.image.ExtensionClass;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image file as the provisioning commands see it: every name, path and hash they write comes from here,
 * never from what a user typed.
 *
 * @param path the image file
 * @param name the extension name: what the node calls it ({@code /etc/extensions/NAME.raw},
 *     {@code /var/lib/confexts/NAME.raw}), and the suffix of
 *     the {@code extension-release.NAME} file inside, which this record guarantees to agree
 * @param releasePath the extension-release file systemd will read, relative to the image root
 * @param version {@code SYSEXT_VERSION_ID} ({@code CONFEXT_VERSION_ID} of a confext), or null when the image has none
 * @param architecture {@code ARCHITECTURE} as written in the image, or null when it has none
 * @param sizeBytes the file's size
 * @param sha256 lowercase hex of the file's bytes
 * @param sha512 lowercase hex of the file's bytes
 * @param extensionClass a system extension or a configuration extension (its release file in
 *     {@code etc/extension-release.d})
 */
public record ExtensionImage(Path path, String name, String releasePath, String version, String architecture,
        long sizeBytes, String sha256, String sha512, ExtensionClass extensionClass) {

    /** A sysext. */
    public ExtensionImage(Path path, String name, String releasePath, String version, String architecture,
            long sizeBytes, String sha256, String sha512) {
        this(path, name, releasePath, version, architecture, sizeBytes, sha256, sha512, ExtensionClass.SYSEXT);
    }

    public ExtensionImage {
        extensionClass = extensionClass == null ? ExtensionClass.SYSEXT : extensionClass;
    }

    /** The field {@link #version} comes from: {@code SYSEXT_VERSION_ID} or {@code CONFEXT_VERSION_ID}. */
    public String versionKey() {
        return extensionClass.versionKey();
    }

    public String fileName() {
        return path.getFileName().toString();
    }

    /**
     * The sysext-bakery file name {@code NAME-VERSION-ARCH.raw} that {@code release} publishes and sysupdate's
     * {@code NAME-@v-%a.raw} pattern matches; empty when the image lacks a version or an architecture.
     */
    public Optional<String> releaseFileName() {
        if (version == null || version.isEmpty() || architecture == null || architecture.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(releaseFileName(name, version, architecture));
    }

    public static String releaseFileName(String name, String version, String architecture) {
        return name + "-" + version + "-" + architecture + ".raw";
    }
}
