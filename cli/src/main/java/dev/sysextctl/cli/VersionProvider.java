package dev.sysextctl.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version baked into the jar at build time ({@link BuildVersion}). */
public final class VersionProvider implements IVersionProvider {
    public static String version() {
        return BuildVersion.version();
    }

    @Override
    public String[] getVersion() {
        return BuildVersion.lines();
    }
}
