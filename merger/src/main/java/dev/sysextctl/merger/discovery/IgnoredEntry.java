package dev.sysextctl.merger.discovery;

/**
 * A directory entry of a search directory that is not an image (systemd skips it silently), with the reason:
 * a {@code /dev/null} link, a name that is not valid, a file not named {@code *.raw}, a dangling link, ….
 */
public record IgnoredEntry(String path, String searchDir, String reason) {
}
