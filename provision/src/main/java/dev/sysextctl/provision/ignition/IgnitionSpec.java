package dev.sysextctl.provision.ignition;

import dev.sysextctl.core.error.UsageException;

/**
 * The Ignition config spec a config is written for, and the Butane {@code variant: flatcar} version that
 * translates to it (docs/torcx.md §5.3): 3.4.0 for any torcx-free Flatcar (Ignition 2.15+, incl.
 * LTS-4081), 3.3.0 for Flatcar 3185–3600.
 */
public enum IgnitionSpec {
    V3_3_0("3.3.0", "1.0.0"),
    V3_4_0("3.4.0", "1.1.0");

    public static final IgnitionSpec DEFAULT = V3_4_0;

    private final String version;
    private final String butaneVersion;

    IgnitionSpec(String version, String butaneVersion) {
        this.version = version;
        this.butaneVersion = butaneVersion;
    }

    public String version() {
        return version;
    }

    public String butaneVersion() {
        return butaneVersion;
    }

    public static IgnitionSpec parse(String text) throws UsageException {
        for (IgnitionSpec s : values()) {
            if (s.version.equals(text.strip())) {
                return s;
            }
        }
        throw new UsageException("unsupported --ignition-version '" + text + "'; use 3.4.0 (Flatcar 3602+) or "
                + "3.3.0 (Flatcar 3185-3600)");
    }
}
