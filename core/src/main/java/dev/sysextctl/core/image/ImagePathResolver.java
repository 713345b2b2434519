package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Symlink chasing inside an image ({@code chase_symlinks(path, image_root)}): absolute link targets are taken
 * relative to the image root, {@code ..} stops at the root, and nothing leaves the image.
 */
public final class ImagePathResolver {
    private ImagePathResolver() {
    }

    /**
     * The entry {@code path} leads to after following every symlink, or empty when some component is missing
     * or the links loop.
     */
    public static Optional<TreeEntry> resolve(ImageFileSystem fs, String path) throws OperationFailedException {
        // The path so far is kept joined as well (what lstat takes): every image a command reads resolves a handful
        // of paths, component by component, and joining the list again for each one was most of what they allocated.
        Deque<String> todo = new ArrayDeque<>(8);
        addComponents(todo, path, false);
        List<String> current = new ArrayList<>();
        String joined = "";
        int links = 0;
        TreeEntry last = fs.lstat("").orElse(null);
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!current.isEmpty()) {
                    current.remove(current.size() - 1);
                }
                joined = String.join("/", current);
                last = fs.lstat(joined).orElse(null);
                continue;
            }
            String next = joined.isEmpty() ? c : joined + "/" + c;
            Optional<TreeEntry> e = fs.lstat(next);
            if (e.isEmpty()) {
                return Optional.empty();
            }
            if (e.get().type() == EntryType.SYMLINK) {
                if (++links > RootedPaths.MAX_LINKS) {
                    return Optional.empty();
                }
                String target = e.get().linkTarget();
                addComponents(todo, target, true);
                if (target.startsWith("/")) {
                    current.clear();
                    joined = "";
                }
                continue;
            }
            current.add(c);
            joined = next;
            last = e.get();
        }
        return Optional.ofNullable(last);
    }

    /**
     * The non-empty components of {@code path} (what {@code split("/")} gives, less the empty ones, which the walk
     * skips), added at the end of {@code todo}, or before what is there with {@code first}.
     */
    private static void addComponents(Deque<String> todo, String path, boolean first) {
        List<String> parts = first ? new ArrayList<>() : null;
        int start = 0;
        int n = path.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                if (i > start) {
                    String part = path.substring(start, i);
                    if (first) {
                        parts.add(part);
                    } else {
                        todo.addLast(part);
                    }
                }
                start = i + 1;
            }
        }
        if (first) {
            for (int i = parts.size() - 1; i >= 0; i--) {
                todo.addFirst(parts.get(i));
            }
        }
    }
}
