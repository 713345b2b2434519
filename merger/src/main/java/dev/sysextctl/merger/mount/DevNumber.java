package dev.sysextctl.merger.mount;

import java.util.Optional;

/** A device number {@code major:minor}, as systemd writes it into {@code .systemd-sysext/dev}. */
public record DevNumber(long major, long minor) {

    /** From a stat {@code st_dev} (glibc's encoding). */
    public static DevNumber ofStDev(long dev) {
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        return new DevNumber(major, minor);
    }

    /** systemd's {@code parse_devnum()} of the first line: {@code 0:58}. */
    public static Optional<DevNumber> parse(String text) {
        String line = text.lines().findFirst().orElse("").trim();
        int colon = line.indexOf(':');
        if (colon <= 0 || colon == line.length() - 1) {
            return Optional.empty();
        }
        try {
            long major = Long.parseLong(line.substring(0, colon));
            long minor = Long.parseLong(line.substring(colon + 1));
            return major < 0 || minor < 0 ? Optional.empty() : Optional.of(new DevNumber(major, minor));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
