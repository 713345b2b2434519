package dev.sysextctl.converter.profile;

import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.tree.ImagePaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The profiles a node has ({@code ListProfiles}, docs/torcx.md §1.2): regular {@code *.json} files
 * directly inside each profile directory (vendor, OEM, user), named by their base name without
 * {@code .json}; a later directory overrides a same-named profile of an earlier one. Like torcx's
 * {@code filepath.Walk}, a profile directory that is itself a symlink is not entered, and symlinked profile
 * files are not profiles.
 */
public final class ProfileCatalog {
    /** A profile: its name, the node path of its file and where sysextctl reads it. */
    public record Entry(String name, String nodePath, Path file) {
    }

    private final Map<String, Entry> profiles;

    private ProfileCatalog(Map<String, Entry> profiles) {
        this.profiles = Collections.unmodifiableMap(profiles);
    }

    public static ProfileCatalog scan(Path root, List<String> dirs) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (String dir : dirs) {
            Path d = locateDirectory(root, dir);
            if (d == null) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                ds.forEach(files::add);
            } catch (IOException e) {
                continue;
            }
            files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            for (Path f : files) {
                String fn = f.getFileName().toString();
                if (!fn.endsWith(".json") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String name = fn.substring(0, fn.length() - ".json".length());
                m.remove(name);
                m.put(name, new Entry(name, dir + "/" + fn, f));
            }
        }
        return new ProfileCatalog(m);
    }

    /** The directory {@code dir} inside the root, its parents chased, itself a real directory; else null. */
    private static Path locateDirectory(Path root, String dir) {
        String parent = ImagePaths.directoryOf(dir);
        String last = ImagePaths.baseName(dir);
        if (!last.equals("profiles")) {
            return null;
        }
        try {
            Path p = RootedPaths.resolve(root, parent.isEmpty() ? "/" : parent).resolve(last);
            return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
        } catch (IOException e) {
            return null;
        }
    }

    public Optional<Entry> get(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    public boolean has(String name) {
        return profiles.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(profiles.keySet());
    }
}
