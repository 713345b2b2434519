package dev.sysextctl.core.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Path resolution inside an OS tree, like systemd's {@code chase_symlinks(path, root, CHASE_PREFIX_ROOT)}:
 * every component is looked at in turn, a symlink's target is followed with absolute targets taken relative
 * to the root, and {@code ..} never climbs above the root. The result therefore always lies inside the root.
 */
public final class RootedPaths {
    /** Linux's limit on the links followed in one lookup (ELOOP beyond it). */
    public static final int MAX_LINKS = 40;

    private RootedPaths() {
    }

    /**
     * Resolves {@code path} (absolute or relative, both meaning "from the root") inside {@code root}. Components
     * that do not exist are appended unresolved, so the result names where the path would be.
     *
     * @throws IOException on a symlink loop or an unreadable link
     */
    public static Path resolve(Path root, String path) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>();
        pushComponents(todo, path);
        Path current = base;
        int links = 0;
        boolean missing = false;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!current.equals(base)) {
                    current = current.getParent();
                }
                continue;
            }
            Path next = current.resolve(c);
            if (!missing && Files.isSymbolicLink(next)) {
                if (++links > MAX_LINKS) {
                    throw new IOException("too many levels of symbolic links resolving " + path + " in " + root);
                }
                String target = Files.readSymbolicLink(next).toString();
                pushComponentsFront(todo, target);
                if (target.startsWith("/")) {
                    current = base;
                }
                continue;
            }
            if (!missing && !Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                missing = true;
            }
            current = next;
        }
        return current;
    }

    /** {@link #resolve}, empty when the result does not exist or cannot be resolved. */
    public static Optional<Path> resolveExisting(Path root, String path) {
        try {
            Path p = resolve(root, path);
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when {@code p} (normalised, absolute) lies at or below {@code root}. */
    public static boolean isInside(Path root, Path p) {
        return p.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize());
    }

    private static void pushComponents(Deque<String> todo, String path) {
        for (String c : path.split("/")) {
            todo.addLast(c);
        }
    }

    private static void pushComponentsFront(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }
}
