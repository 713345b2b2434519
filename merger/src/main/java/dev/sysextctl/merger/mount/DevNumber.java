package dev.sysextctl.merger.mount;

import java.util.Optional;

/**
 * A device number {@code major:minor}, as systemd writes it into {@code .systemd-sysext/dev}. {@code equals},
 * {@code hashCode} and {@code toString} are written out: a record's generated ones are bootstrapped at their first
 * call ({@code ObjectMethods}), which spins method handles in every run that compares two ({@code status}).
 */
public record DevNumber(long major, long minor) {

    /** From a stat {@code st_dev} (glibc's encoding). */
    public static DevNumber ofStDev(long dev) {
        long major = ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
        return new DevNumber(major, minor);
    }

    /** systemd's {@code parse_devnum()} of the first line: {@code 0:58}. */
    public static Optional<DevNumber> parse(String text) {
        int end = text.indexOf('\n');
        int cr = text.indexOf('\r');
        if (cr >= 0 && (end < 0 || cr < end)) {
            end = cr;
        }
        String line = (end < 0 ? text : text.substring(0, end)).trim();
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
    public boolean equals(Object o) {
        return o instanceof DevNumber d && d.major == major && d.minor == minor;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(major) * 31 + Long.hashCode(minor);
    }

    @Override
    public String toString() {
        return major + ":" + minor;
    }
}
