package dev.sysextctl.core.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Best-effort removal of scratch files and trees (staged archives, extracted images, temporary outputs): what
 * cannot be removed is left without an error, since the removal runs in {@code finally} blocks and shutdown hooks
 * where a failure must not hide the real outcome.
 */
public final class TreeDeletion {
    private TreeDeletion() {
    }

    /**
     * Deletes {@code path}: a file or link as it is, a directory with everything below it (links are removed,
     * never followed), making its directories writable first (an extracted image may hold read-only ones). Nothing
     * happens for null or a path that does not exist.
     */
    public static void deleteQuietly(Path path) {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.walk(path)) {
                s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                        .forEach(p -> p.toFile().setWritable(true, true));
            } catch (IOException | RuntimeException ignored) {
                // best effort: the deletion below says what is left
            }
            try (Stream<Path> s = Files.walk(path)) {
                s.sorted(Comparator.reverseOrder()).forEach(TreeDeletion::deleteOne);
            } catch (IOException | RuntimeException ignored) {
                // best effort cleanup of a scratch tree
            }
        } else {
            deleteOne(path);
        }
    }

    private static void deleteOne(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort cleanup of a scratch tree
        }
    }
}
