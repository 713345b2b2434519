package dev.sysextctl.converter.profile;

import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.archive.TorcxArchiveName;
import dev.sysextctl.core.fs.RootedPaths;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The archives of a node's torcx stores, indexed the way torcx's store cache did ({@code store.go},
 * docs/torcx.md §2.2): only files directly in each store directory (sorted by name, like Go's
 * {@code ReadDir}); a symlink must resolve to a regular file (resolved inside the root); suffix
 * {@code .torcx.tgz} or {@code .torcx.squashfs}; name and reference from the file name; on a (name, reference)
 * collision the first store in search order wins, except that a later {@code .squashfs} replaces an earlier
 * {@code .tgz}.
 */
public final class TorcxStore {
    /**
     * A store directory: the node's path, where sysextctl reads it, and whether symlinks in it are resolved
     * inside the root (node stores) or on this machine ({@code --store} directories).
     */
    public record Location(String nodePath, Path dir, boolean insideRoot) {
    }

    private final Map<String, StoreArchive> byImage = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    private TorcxStore() {
    }

    /**
     * Indexes the stores.
     *
     * @param root the node's root (symlinks in store directories are resolved inside it)
     */
    public static TorcxStore scan(Path root, List<Location> locations) {
        TorcxStore s = new TorcxStore();
        for (Location l : locations) {
            s.scanOne(root, l);
        }
        return s;
    }

    private void scanOne(Path root, Location l) {
        if (!Files.isDirectory(l.dir())) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(l.dir())) {
            ds.forEach(files::add);
        } catch (IOException e) {
            notes.add("store " + l.nodePath() + " cannot be read (" + e.getMessage() + "); skipped");
            return;
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path f : files) {
            String fileName = f.getFileName().toString();
            Optional<TorcxArchiveName> parsed = TorcxArchiveName.parse(fileName);
            String nodePath = l.nodePath() + "/" + fileName;
            Path actual = f;
            if (Files.isSymbolicLink(f)) {
                Optional<Path> resolved = root == null || !l.insideRoot()
                        ? Optional.of(f.toAbsolutePath()).filter(Files::exists).map(TorcxStore::realPath)
                        : RootedPaths.resolveExisting(root, relativeTo(root, f));
                if (resolved.isEmpty() || !Files.isRegularFile(resolved.get(), LinkOption.NOFOLLOW_LINKS)) {
                    if (parsed.isPresent()) {
                        notes.add(nodePath + " is a symlink that does not lead to a regular file; skipped");
                    }
                    continue;
                }
                actual = resolved.get();
            } else if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                if (parsed.isPresent()) {
                    notes.add(nodePath + " is not a regular file; skipped");
                }
                continue;
            }
            if (parsed.isEmpty()) {
                continue;
            }
            TorcxArchiveName n = parsed.get();
            StoreArchive a = new StoreArchive(n.name(), n.reference(), n.format(), nodePath, l.nodePath(), actual);
            String key = key(n.name(), n.reference());
            StoreArchive existing = byImage.get(key);
            if (existing == null) {
                byImage.put(key, a);
            } else if (existing.format() == TorcxArchiveFormat.TGZ && n.format() == TorcxArchiveFormat.SQUASHFS) {
                byImage.put(key, a);
                notes.add(nodePath + " replaces " + existing.nodePath() + " (a .squashfs archive is preferred over "
                        + ".tgz)");
            } else {
                notes.add(nodePath + " duplicates " + existing.nodePath() + " (" + n.display() + "); the first one "
                        + "wins");
            }
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static String relativeTo(Path root, Path f) {
        Path r = root.toAbsolutePath().normalize();
        Path a = f.toAbsolutePath().normalize();
        return a.startsWith(r) ? "/" + r.relativize(a) : a.toString();
    }

    private static String key(String name, String ref) {
        return name + "\u0000" + ref;
    }

    public Optional<StoreArchive> find(String name, String reference) {
        return Optional.ofNullable(byImage.get(key(name, reference)));
    }

    /** Every archive, in the order first seen. */
    public List<StoreArchive> archives() {
        return List.copyOf(byImage.values());
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }
}
