package dev.sysextctl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version baked into the jar at build time and the {@code --version} text, free of picocli so that
 * {@link FastPaths} can print it without loading picocli ({@link VersionProvider} hands the same text to picocli).
 */
final class BuildVersion {
    private BuildVersion() {
    }

    static String version() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    /** What {@code sysextctl --version} prints, a line an element. */
    static String[] lines() {
        return new String[] {"sysextctl " + version()};
    }
}
