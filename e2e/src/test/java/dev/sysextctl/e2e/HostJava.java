package dev.sysextctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The Java runtime the tests run on, as a node sees it: {@code home} is bind-mounted read-only at
 * {@link #NODE_HOME}, and the {@code /etc} directories its absolute links point into at their own paths (Debian
 * keeps a JDK's configuration in {@code /etc/java-N-openjdk}: {@code lib/jvm.cfg} is such a link).
 *
 * <p>Not at the host's path under {@code /usr}: systemd-sysext lays an overlay over {@code /usr} (and {@code /opt})
 * and that hides every mount below it, so the node would lose its Java at the first merge.
 *
 * @param home the real path of {@code java.home}
 * @param etcDirs the Java configuration directories under {@code /etc} that links in {@code home} point into
 */
public record HostJava(Path home, List<Path> etcDirs) {
    /** Where the nodes see the host's {@code java.home}. */
    public static final String NODE_HOME = "/testbed/jdk";

    public HostJava {
        etcDirs = List.copyOf(etcDirs);
    }

    private static HostJava current;

    /** The runtime of this JVM (read once). */
    public static synchronized HostJava current() {
        if (current == null) {
            current = of(Path.of(System.getProperty("java.home")));
        }
        return current;
    }

    /** Reads {@code javaHome}'s links; only Java's own directories ({@code /etc/java*}, {@code /etc/*jdk*}) count. */
    public static HostJava of(Path javaHome) {
        try {
            Path home = javaHome.toRealPath();
            TreeSet<Path> dirs = new TreeSet<>();
            try (Stream<Path> walk = Files.walk(home)) {
                walk.filter(Files::isSymbolicLink).forEach(link -> {
                    Path target = readLink(link);
                    if (target.isAbsolute() && target.getNameCount() >= 2 && target.startsWith("/etc")) {
                        String top = target.getName(1).toString();
                        if (top.startsWith("java") || top.contains("jdk")) {
                            dirs.add(Path.of("/etc", top));
                        }
                    }
                });
            }
            return new HostJava(home, List.copyOf(dirs));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Java runtime at " + javaHome, e);
        }
    }

    private static Path readLink(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
