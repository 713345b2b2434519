package dev.sysextctl.core.image;

import dev.sysextctl.core.error.UsageException;
import java.util.List;

/**
 * The systemd release whose sysext rules apply. 252 (Debian 12) is the reference; later releases change
 * search paths, name rules and matching (docs/compatibility.md §1, §2).
 */
public record SystemdVersion(int major) implements Comparable<SystemdVersion> {
    public static final SystemdVersion V252 = new SystemdVersion(252);
    public static final SystemdVersion DEFAULT = V252;
    /**
     * The release whose rules apply to a confext when the target's systemd is not known: there is no confext before
     * 254, and 257 is the systemd-confext whose behaviour docs/compatibility.md §2.7 describes.
     */
    public static final SystemdVersion CONFEXT_DEFAULT = new SystemdVersion(257);

    /**
     * The release whose rules apply to class {@code c} when the target's systemd is not known: {@link #DEFAULT} for a
     * sysext, {@link #CONFEXT_DEFAULT} for a confext (docs/cli.md §5, §6).
     */
    public static SystemdVersion assumedFor(ExtensionClass c) {
        return c == ExtensionClass.CONFEXT ? CONFEXT_DEFAULT : DEFAULT;
    }

    public SystemdVersion {
        if (major < 248 || major > 999) {
            throw new IllegalArgumentException("systemd version " + major);
        }
    }

    public static SystemdVersion parse(String text) throws UsageException {
        try {
            String digits = text.trim().replaceFirst("^v", "").replaceFirst("[^0-9].*$", "");
            int v = Integer.parseInt(digits);
            if (v < 248 || v > 999) {
                throw new NumberFormatException();
            }
            return new SystemdVersion(v);
        } catch (NumberFormatException e) {
            throw new UsageException("invalid --systemd-version '" + text
                    + "'; give a systemd release number of 248 or later, e.g. 252 or 257");
        }
    }

    public boolean atLeast(int v) {
        return major >= v;
    }

    /** sysext image search directories, highest priority first (§1.1). */
    public List<String> searchDirs() {
        if (major >= 254) {
            return List.of("/etc/extensions", "/run/extensions", "/var/lib/extensions");
        }
        return List.of("/etc/extensions", "/run/extensions", "/var/lib/extensions", "/usr/local/lib/extensions",
                "/usr/lib/extensions");
    }

    /** 255+: a regular file {@code NAME.sysext.raw} is image {@code NAME} (§1.3). */
    public boolean stripsSysextSuffix() {
        return major >= 255;
    }

    /**
     * 257+: a directory {@code NAME.sysext} in a sysext search directory is image {@code NAME} ({@code NAME.confext}
     * in a confext one), as a raw image's class suffix is stripped (measured on 257.13; 255 and 256 not measured,
     * §1.3).
     */
    public boolean stripsClassSuffixFromDirectories() {
        return major >= 257;
    }

    /** 257+: the release-file fallback accepts the name truncated at the first {@code _} or {@code +} (§2.1). */
    public boolean acceptsTruncatedReleaseName() {
        return major >= 257;
    }

    /** ID_LIKE matching (PR #37648, in 257.13 and 258+; §2.4). */
    public boolean matchesIdLike() {
        return major >= 257;
    }

    /** 257+ reads forbidden content (usr/lib/os-release) of directories before merging (§3). */
    public boolean refusesForbiddenContentAtMetadata() {
        return major >= 257;
    }

    /** 257+ transfer files are {@code *.transfer} (§6.1). */
    public boolean usesTransferSuffix() {
        return major >= 257;
    }

    /** 259+ follows symlinks in the search dirs under --root (§1.2). */
    public boolean followsSymlinksUnderRoot() {
        return major >= 259;
    }

    @Override
    public int compareTo(SystemdVersion o) {
        return Integer.compare(major, o.major);
    }

    @Override
    public String toString() {
        return Integer.toString(major);
    }

    /** Written out: the record's generated one spins method handles at its first call, in every validate run. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SystemdVersion other && other.major == major;
    }

    @Override
    public int hashCode() {
        return Integer.hashCode(major);
    }
}
