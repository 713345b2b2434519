package dev.sysextctl.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The zone ID the JVM takes as its default, told without {@link java.util.TimeZone#getDefault()}: that reads the
 * JDK's whole zone database ({@code lib/tzdb.dat}) to make the zone, a large part of a {@code status} run, when all
 * {@code status} needs to know on most nodes is that the zone is UTC ({@link MergerCli#since}). It asks what the JVM
 * asks, in the same order: the {@code user.timezone} property, {@code TZ} (without a leading {@code :} or
 * {@code posix/}), else the zone {@code /etc/localtime} links to (the part after {@code zoneinfo/}). A Java 17 of
 * Debian reads {@code /etc/timezone} before {@code /etc/localtime}, later releases do not: when that file is there it
 * must name the same zone. Null wherever the answer is not that plain (a copy of a zone file as
 * {@code /etc/localtime}, a link with {@code ./} in its zone name, the two files disagreeing): then the caller asks
 * the JVM.
 */
final class LocalZone {
    private static final Path LOCALTIME = Path.of("/etc/localtime");
    private static final Path TIMEZONE = Path.of("/etc/timezone");
    private static final String ZONEINFO = "zoneinfo/";
    private static final String NONE = "";
    private static String cached;

    private LocalZone() {
    }

    /** The default zone's ID on this machine, or null when only the JVM can tell (once per process). */
    static String id() {
        if (cached == null) {
            String id = id(System.getProperty("user.timezone"), System.getenv("TZ"), LOCALTIME, TIMEZONE);
            cached = id == null ? NONE : id;
        }
        return cached.isEmpty() ? null : cached;
    }

    /**
     * The zone ID the JVM would take from these: the property {@code user.timezone}, the variable {@code TZ}, the
     * link {@code localtime} and the file {@code timezone} (each may be null or missing); null when it cannot be told
     * here.
     */
    static String id(String property, String tz, Path localtime, Path timezone) {
        if (property != null && !property.isEmpty()) {
            return property;
        }
        if (tz != null && !tz.isEmpty()) {
            return plain(tz);
        }
        String linked = linkedZone(localtime);
        if (linked == null) {
            return null;
        }
        if (timezone != null && Files.exists(timezone)) {
            String named = firstLine(timezone);
            if (named == null || !named.equals(linked)) {
                return null;
            }
        }
        return linked;
    }

    /** A zone name without the {@code :} and {@code posix/} the JVM drops. */
    private static String plain(String name) {
        String s = name.startsWith(":") ? name.substring(1) : name;
        return s.startsWith("posix/") ? s.substring("posix/".length()) : s;
    }

    /** The zone name {@code localtime} links to, or null when it is no link into a zoneinfo directory. */
    private static String linkedZone(Path localtime) {
        String target;
        try {
            target = Files.readSymbolicLink(localtime).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return null; // missing, or a copy of a zone file: the JVM compares it with every zone file
        }
        int at = target.indexOf(ZONEINFO);
        if (at < 0) {
            return null;
        }
        String zone = target.substring(at + ZONEINFO.length());
        // the JVM collapses "./", "../" and "//" in the link first: leave such links to it
        if (zone.isEmpty() || zone.startsWith(".") || zone.contains("/.") || zone.contains("//")
                || zone.endsWith("/")) {
            return null;
        }
        return plain(zone);
    }

    /** The first line of a small file, or null when it cannot be read (read through java.io: no NIO channel). */
    private static String firstLine(Path file) {
        byte[] b;
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            b = in.readNBytes(4096);
        } catch (IOException e) {
            return null;
        }
        int end = 0;
        while (end < b.length && b[end] != '\n') {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
