package dev.sysextctl.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symlink chasing inside an image resolves every path as the walk that joined the path anew for each step did. */
class ImagePathResolverTest {
    @TempDir
    Path tmp;

    @Test
    void everyPathResolvesAsTheJoiningWalkResolvedIt() throws Exception {
        Path root = tmp.resolve("image");
        Files.createDirectories(root.resolve("usr/lib/extension-release.d"));
        Files.writeString(root.resolve("usr/lib/extension-release.d/extension-release.a"), "ID=_any\n");
        Files.createDirectories(root.resolve("opt/x/y"));
        Files.createSymbolicLink(root.resolve("usr/lib64"), Path.of("lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("/usr/lib"));
        Files.createSymbolicLink(root.resolve("opt/up"), Path.of("../../../usr"));
        Files.createSymbolicLink(root.resolve("opt/x/abs"), Path.of("/opt/x/y/"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop2"));
        Files.createSymbolicLink(root.resolve("loop2"), Path.of("./loop"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/nowhere/at/all"));
        Files.createSymbolicLink(root.resolve("usr/lib/release"), Path.of("extension-release.d//extension-release.a"));
        String[] parts = {"usr", "lib", "lib64", "extension-release.d", "extension-release.a", "opt", "x", "y", "up",
            "abs", "loop", "dangling", "release", ".", "..", "", "missing"};
        List<String> paths = new ArrayList<>(List.of("", "/", "usr", "usr/lib/extension-release.d/extension-release.a",
                "lib/release", "opt/up/lib64/release", "opt/x/abs/../..", "loop", "dangling", "//usr//lib/", "../..",
                "usr/lib/os-release", "etc/os-release"));
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 7); k > 0; k--) {
                b.append(random.nextBoolean() && b.length() == 0 ? "/" : "").append(parts[random.nextInt(parts.length)]);
                if (k > 1) {
                    b.append('/');
                }
            }
            paths.add(b.toString());
        }
        try (DirectoryImageFs fs = new DirectoryImageFs(root)) {
            int found = 0;
            for (String p : paths) {
                Optional<TreeEntry> expected = joiningWalk(fs, p);
                Optional<TreeEntry> actual = ImagePathResolver.resolve(fs, p);
                assertThat(actual.map(TreeEntry::path)).as("'%s'", p).isEqualTo(expected.map(TreeEntry::path));
                found += expected.isPresent() ? 1 : 0;
            }
            assertThat(found).as("paths that resolve").isGreaterThan(100).isLessThan(paths.size());
        }
    }

    /** The walk as it was: the path split, then joined again for each component. */
    private static Optional<TreeEntry> joiningWalk(ImageFileSystem fs, String path) throws OperationFailedException {
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
                String[] ps = target.split("/");
                for (int i = ps.length - 1; i >= 0; i--) {
                    todo.addFirst(ps[i]);
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
