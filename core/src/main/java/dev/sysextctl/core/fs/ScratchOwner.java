package dev.sysextctl.core.fs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who made a temporary file: the process id, its start time (clock ticks since boot, field 22 of
 * {@code /proc/PID/stat}) and the first 8 hex digits of the boot id. Together they name one process for ever:
 * a pid is reused, a (pid, start time) pair is not within a boot, and the boot id tells boots apart. Temporary
 * names carry the token ({@link #token()}), so a later run can tell the leftovers of a killed process (owner gone)
 * from the files of a live one, and remove only the former.
 */
public record ScratchOwner(long pid, long startTicks, String boot) {
    /** {@code PID-START-BOOT8}, as embedded in temporary names. */
    static final Pattern TOKEN = Pattern.compile("(\\d{1,10})-(\\d{1,20})-([0-9a-f]{8})");
    private static final Path PROC = Path.of("/proc");
    private static volatile ScratchOwner self;

    /** This process. */
    public static ScratchOwner self() {
        ScratchOwner s = self;
        if (s == null) {
            long pid = ProcessHandle.current().pid();
            s = new ScratchOwner(pid, startTicks(PROC, pid).orElse(0L), bootId(PROC));
            self = s;
        }
        return s;
    }

    public String token() {
        return pid + "-" + startTicks + "-" + boot;
    }

    /** A whole token ({@link #token()}). */
    public static Optional<ScratchOwner> parseToken(String token) {
        Matcher m = TOKEN.matcher(token);
        return m.matches() ? parse(token) : Optional.empty();
    }

    /** The token at the start of {@code text} ({@code PID-START-BOOT8} followed by the end or a '-'). */
    static Optional<ScratchOwner> parse(String text) {
        Matcher m = TOKEN.matcher(text);
        if (!m.lookingAt() || m.end() != text.length() && text.charAt(m.end()) != '-') {
            return Optional.empty();
        }
        try {
            return Optional.of(new ScratchOwner(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * True when the process is gone for certain: another boot, no such pid, or the pid now belongs to a process
     * that started at another time. When it cannot tell (no {@code /proc}), the owner counts as alive.
     */
    public boolean isGone() {
        return isGone(PROC);
    }

    boolean isGone(Path proc) {
        String currentBoot = bootId(proc);
        if (currentBoot.equals("00000000")) {
            return false;
        }
        if (!currentBoot.equals(boot)) {
            return true;
        }
        if (!Files.isDirectory(proc.resolve("self"))) {
            return false;
        }
        Optional<Long> start = startTicks(proc, pid);
        return start.isEmpty() || start.get() != startTicks;
    }

    static Optional<Long> startTicks(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Optional.of(Long.parseLong(f[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static String bootId(Path proc) {
        try {
            String id = Files.readString(proc.resolve("sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                    .trim().replace("-", "");
            return id.length() >= 8 ? id.substring(0, 8).toLowerCase(java.util.Locale.ROOT) : "00000000";
        } catch (IOException | RuntimeException e) {
            return "00000000";
        }
    }
}
