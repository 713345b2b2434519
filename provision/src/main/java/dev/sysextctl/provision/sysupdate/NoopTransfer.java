package dev.sysextctl.provision.sysupdate;

import dev.sysextctl.core.image.SystemdVersion;

/**
 * The dummy transfer that keeps a plain {@code systemd-sysupdate update} (the default component, as
 * {@code systemd-sysupdate.service} runs it) from failing with "No transfer definitions found" on a node whose
 * only definitions live in {@code /etc/sysupdate.NAME.d/} (sysext-bakery#88; Flatcar ships the same file).
 */
public final class NoopTransfer {
    public static final String CONTENT = "[Source]\n"
            + "Type=regular-file\n"
            + "Path=/\n"
            + "MatchPattern=invalid@v.raw\n"
            + "\n"
            + "[Target]\n"
            + "Type=regular-file\n"
            + "Path=/\n";

    private NoopTransfer() {
    }

    /** {@code noop.conf}, or {@code noop.transfer} for systemd ≥ 257 (the same rule as the extensions' files). */
    public static String fileName(SystemdVersion systemd) {
        return "noop" + TransferFile.suffix(systemd);
    }

    /** Where the node reads it: {@code /etc/sysupdate.d/FILE}. */
    public static String nodePath(SystemdVersion systemd) {
        return "/etc/sysupdate.d/" + fileName(systemd);
    }
}
