package dev.sysextctl.converter.layout;

import java.util.Optional;

/**
 * Where the content of a torcx image root ends up in a sysext. torcx unpacked an image to
 * {@code /run/torcx/unpack/NAME/}; Flatcar built images with {@code bin/} and {@code lib/} at the top (and the
 * staging links {@code sbin → bin}, {@code lib64 → lib}, docs/torcx.md §2.5). In the sysext:
 * <ul>
 *   <li>{@code bin/} and {@code sbin/} → {@code usr/bin/}; {@code lib/} and {@code lib64/} → {@code usr/lib/}
 *       (merged with what is already there);</li>
 *   <li>{@code usr/} and {@code opt/} stay where they are (the hierarchies systemd-sysext merges);</li>
 *   <li>{@code .torcx/} is read (the manifest) and not carried over;</li>
 *   <li>{@code etc/} and every other top-level directory cannot be carried by a sysext and are dropped.</li>
 * </ul>
 * The same mapping rewrites absolute references ({@code /run/torcx/unpack/NAME/lib} → {@code /usr/lib}).
 */
public final class Relocation {
    /** What happens to a path. */
    public enum Placement {
        /** Stays at the same path ({@code usr/…}, {@code opt/…}, the root). */
        KEEP,
        /** Moves under {@code usr/} ({@code bin}, {@code sbin}, {@code lib}, {@code lib64}). */
        MOVE,
        /** Read by the converter and not carried over ({@code .torcx/}). */
        CONSUMED,
        /** Under {@code etc/}: systemd-sysext does not merge it. */
        ETC,
        /** Anywhere else: outside what a sysext can carry. */
        OUTSIDE
    }

    private Relocation() {
    }

    public static Placement placement(String archivePath) {
        if (archivePath.isEmpty()) {
            return Placement.KEEP;
        }
        return switch (top(archivePath)) {
            case "usr", "opt" -> Placement.KEEP;
            case "bin", "sbin", "lib", "lib64" -> Placement.MOVE;
            case ".torcx" -> Placement.CONSUMED;
            case "etc" -> Placement.ETC;
            default -> Placement.OUTSIDE;
        };
    }

    /** The path in the sysext for a path of the torcx image root (both relative), or empty when dropped. */
    public static Optional<String> relocate(String archivePath) {
        Placement p = placement(archivePath);
        if (p == Placement.KEEP) {
            return Optional.of(archivePath);
        }
        if (p != Placement.MOVE) {
            return Optional.empty();
        }
        String top = top(archivePath);
        String rest = archivePath.substring(top.length());
        String base = top.equals("bin") || top.equals("sbin") ? "usr/bin" : "usr/lib";
        return Optional.of(base + rest);
    }

    /** {@link #relocate} for an absolute path inside the image root ({@code /lib/x} → {@code /usr/lib/x}). */
    public static Optional<String> relocateAbsolute(String absolute) {
        String rel = absolute;
        while (rel.startsWith("/")) {
            rel = rel.substring(1);
        }
        return relocate(rel).map(r -> "/" + r);
    }

    /**
     * The order in which colliding entries are placed, lowest first: entries already at their final path,
     * then {@code bin}/{@code lib}, then their aliases {@code sbin}/{@code lib64}. The first placed wins.
     */
    public static int priority(String archivePath) {
        return switch (top(archivePath)) {
            case "bin", "lib" -> 1;
            case "sbin", "lib64" -> 2;
            default -> 0;
        };
    }

    /** True for the top-level names that Flatcar's staging root aliased ({@code sbin → bin}, ...). */
    public static boolean isAliasName(String archivePath) {
        return archivePath.equals("bin") || archivePath.equals("sbin") || archivePath.equals("lib")
                || archivePath.equals("lib64");
    }

    public static String top(String path) {
        int i = path.indexOf('/');
        return i < 0 ? path : path.substring(0, i);
    }
}
