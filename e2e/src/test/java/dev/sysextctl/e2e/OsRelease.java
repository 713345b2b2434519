package dev.sysextctl.e2e;

import dev.sysextctl.core.release.EnvFile;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;

/**
 * What systemd-sysext 252 matches an extension against on a node: {@code ID} and {@code VERSION_ID} of its
 * os-release (the test bed has no {@code SYSEXT_LEVEL}).
 */
public record OsRelease(String id, String versionId) {
    public OsRelease {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("an os-release without ID");
        }
    }

    /** Reads an os-release file's text. */
    public static OsRelease parse(String text) {
        ReleaseFile f = EnvFile.parse(text);
        return new OsRelease(f.get(ReleaseKeys.ID), f.get(ReleaseKeys.VERSION_ID));
    }

    /** The same OS, another version: the release before this one when the version is a number. */
    public OsRelease otherVersion() {
        if (versionId != null && versionId.matches("[1-9][0-9]*")) {
            return new OsRelease(id, Integer.toString(Integer.parseInt(versionId) - 1));
        }
        return new OsRelease(id, (versionId == null ? "" : versionId) + "-other");
    }

    /** The extension-release lines that make an image match this OS. */
    public String[] extensionReleaseLines() {
        return versionId == null ? new String[] {"ID=" + id} : new String[] {"ID=" + id, "VERSION_ID=" + versionId};
    }
}
