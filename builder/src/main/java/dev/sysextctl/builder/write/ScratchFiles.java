package dev.sysextctl.builder.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Temporary files and trees of one build (the image under its temporary name, a staged tree). They are removed
 * when the build ends, whether it succeeds or fails, and by a shutdown hook when the process is stopped (SIGTERM,
 * Ctrl-C), so an interrupted build leaves nothing half-written. A path handed over to its final name is
 * {@link #release released} first.
 */
public final class ScratchFiles implements AutoCloseable {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ScratchFiles::deleteTree),
                "sysextctl-scratch-cleanup"));
    }

    private final List<Path> mine = new ArrayList<>();

    /** Registers {@code p} (not yet necessarily existing) for removal. */
    public Path register(Path p) {
        LIVE.add(p);
        mine.add(p);
        return p;
    }

    /** {@code p} has been renamed into place or removed: stop tracking it. */
    public void release(Path p) {
        LIVE.remove(p);
        mine.remove(p);
    }

    /** Removes {@code p} now and stops tracking it. */
    public void delete(Path p) {
        deleteTree(p);
        release(p);
    }

    @Override
    public void close() {
        for (Path p : new ArrayList<>(mine)) {
            delete(p);
        }
    }

    /** Deletes a file or tree, making read-only directories writable first; best effort. */
    public static void deleteTree(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.filter(x -> Files.isDirectory(x, LinkOption.NOFOLLOW_LINKS)).forEach(x -> x.toFile()
                        .setWritable(true, true));
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).forEach(x -> {
                    try {
                        Files.deleteIfExists(x);
                    } catch (IOException ignored) {
                        // best effort
                    }
                });
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        } else {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
