package dev.sysextctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Class-data-sharing archives of the sysextctl jar (the JDK's dynamic AppCDS), so that the many short sysextctl runs
 * of the end-to-end tests start faster (measured under load: {@code status --json} in a node 0.66 → 0.43 s,
 * {@code build} on the host 1.4 → 0.9 s). One archive per side: the host runs the jar from the repository with the
 * host's JDK, the nodes from {@link Node#NODE_JAR} with {@link HostJava#NODE_HOME}, and an archive is only valid for
 * the paths, JDK and jar it was made with. Made once per jar and JDK ({@code target/cds/SIDE-KEY.jsa}): the first
 * run of a side dumps it at its exit ({@code -XX:ArchiveClassesAtExit}), the others run without one until it exists.
 *
 * <p>{@code -Xlog:disable} always goes with it: the JVM logs CDS warnings (classes it cannot archive, an archive it
 * cannot use) on stdout, where they would corrupt the command's output.
 */
final class ClassDataSharing {
    /** Where a jar runs. */
    enum Side { HOST, NODE }

    /** What a run does about CDS. */
    enum Role { USE, DUMP, NONE }

    static final List<String> QUIET = List.of("-Xlog:disable");

    private static final Path DIR = Path.of("target", "cds");
    private static final Map<Side, Boolean> DUMPING = new EnumMap<>(Side.class);

    private ClassDataSharing() {
    }

    /** The archive of {@code side} for {@code jar} run by this JVM's JDK ({@code target/cds/SIDE-KEY.jsa}). */
    static Path archive(Side side, Path jar) {
        return DIR.resolve(side.name().toLowerCase(java.util.Locale.ROOT) + "-" + key(jar) + ".jsa").toAbsolutePath();
    }

    /**
     * What the next run on {@code side} does: use the archive when it exists, else dump it when no other run does
     * (the caller must then call {@link #dumped}), else nothing.
     */
    static synchronized Role next(Side side, Path jar) {
        if (Files.isRegularFile(archive(side, jar))) {
            return Role.USE;
        }
        if (DUMPING.getOrDefault(side, false)) {
            return Role.NONE;
        }
        DUMPING.put(side, true);
        return Role.DUMP;
    }

    /** Where a dumping run writes its archive before {@link #dumped} renames it into place. */
    static Path dumpTarget(Side side, Path jar) {
        Path a = archive(side, jar);
        return a.resolveSibling(a.getFileName() + ".tmp");
    }

    /** The dumping run is over: its archive, if it wrote one to {@link #dumpTarget}, goes into place. */
    static synchronized void dumped(Side side, Path jar) {
        try {
            Path tmp = dumpTarget(side, jar);
            if (Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                Path archive = archive(side, jar);
                Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                removeOthers(side, archive);
            } else {
                Files.deleteIfExists(tmp);
                System.err.println("e2e: no class-data-sharing archive was dumped for the " + side + " runs");
            }
        } catch (IOException e) {
            System.err.println("e2e: cannot keep the class-data-sharing archive: " + e.getMessage());
        } finally {
            DUMPING.put(side, false);
        }
    }

    // Every build of the jar has its own archives (about 10 MB each): those of earlier builds go.
    private static void removeOthers(Side side, Path keep) throws IOException {
        String prefix = side.name().toLowerCase(java.util.Locale.ROOT) + "-";
        try (Stream<Path> all = Files.list(DIR)) {
            for (Path p : all.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".jsa") && !p.toAbsolutePath().equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    static void createDirectory() {
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + DIR.toAbsolutePath(), e);
        }
    }

    // The jar (size, modification time) and the JDK (path, version): what an archive is valid for.
    private static String key(Path jar) {
        try {
            String what = jar.toRealPath() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis()
                    + " " + HostJava.current().home() + " " + System.getProperty("java.vm.version");
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(what.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
