package dev.sysextctl.provision.image;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.provision.sysupdate.MatchPattern;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an image needs to be published for systemd-sysupdate: a name that is safe in a file name, a URL, a
 * unit file and a shell line alike; a version {@code @v} can match; a real architecture for {@code %a}.
 */
public final class NameRules {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

    private NameRules() {
    }

    /**
     * Refuses (exit 3) an image that cannot be released as {@code NAME-VERSION-ARCH.raw} and found again by
     * the {@code NAME-@v-%a.raw} pattern. Returns the release file name.
     */
    public static String requireReleasable(ExtensionImage image) throws RefusedException {
        requireSafeName(image);
        String where = image.path() + ": ";
        String fix = "; rebuild it with 'sysextctl build … --version V --arch A' (release names files "
                + "NAME-VERSION-ARCH.raw and sysupdate matches NAME-@v-%a.raw)";
        if (image.version() == null) {
            throw new RefusedException(where + "the image has no " + image.versionKey() + fix);
        }
        if (image.architecture() == null) {
            throw new RefusedException(where + "the image has no ARCHITECTURE" + fix);
        }
        if (!Architecture.isSystemdName(image.architecture())) {
            throw new RefusedException(where + "ARCHITECTURE=" + image.architecture() + " is not one systemd's %a "
                    + "can expand to (e.g. x86-64, arm64)" + fix);
        }
        Optional<String> badVersion = MatchPattern.invalidVersionReason(image.version());
        if (badVersion.isPresent()) {
            throw new RefusedException(where + image.versionKey() + "=" + image.version() + " can never match "
                    + "systemd-sysupdate's @v (" + badVersion.get() + "; allowed are letters, digits and . , _ + -); "
                    + "rebuild it with such a --version, e.g. " + suggestVersion(image.version()));
        }
        String fileName = image.releaseFileName().orElseThrow();
        MatchPattern pattern = MatchPattern.parse(MatchPattern.forExtension(image.name()), image.architecture());
        Optional<String> matched = pattern.version(fileName);
        if (matched.isEmpty() || !matched.get().equals(image.version())) {
            throw new RefusedException(where + "sysupdate's pattern " + pattern + " reads " + fileName
                    + " as version '" + matched.orElse("(no match)") + "', not '" + image.version()
                    + "'; rebuild it with a version that does not contain '-" + image.architecture() + ".raw'");
        }
        return fileName;
    }

    /** A name can appear in sysupdate files, Ignition paths and the service drop-in without quoting. */
    public static void requireSafeName(ExtensionImage image) throws RefusedException {
        if (!SAFE_NAME.matcher(image.name()).matches()) {
            throw new RefusedException(image.path() + ": the extension name '" + image.name() + "' is not usable in "
                    + "sysupdate file names, units and URLs; rebuild it with a name of letters, digits and . _ + -");
        }
    }

    static String suggestVersion(String version) {
        String s = version.replace('~', '-').replaceAll("[^A-Za-z0-9.,_+-]", ".");
        return s.isEmpty() ? "1.0" : s;
    }
}
