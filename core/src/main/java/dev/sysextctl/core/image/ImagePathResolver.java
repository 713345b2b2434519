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
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        List<String> current = new ArrayList<>();
        int links = 0;
        TreeEntry last = fs.lstat("").orElse(null);
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!current.isEmpty()) {
                    current.remove(current.size() - 1);
                }
                last = fs.lstat(String.join("/", current)).orElse(null);
                continue;
            }
            current.add(c);
            Optional<TreeEntry> e = fs.lstat(String.join("/", current));
            if (e.isEmpty()) {
                return Optional.empty();
            }
            if (e.get().type() == EntryType.SYMLINK) {
                if (++links > RootedPaths.MAX_LINKS) {
                    return Optional.empty();
                }
                current.remove(current.size() - 1);
                String target = e.get().linkTarget();
                String[] parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
                if (target.startsWith("/")) {
                    current.clear();
                }
                continue;
            }
            last = e.get();
        }
        return Optional.ofNullable(last);
    }
}
