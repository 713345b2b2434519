package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A squashfs image read through unsquashfs, without root and without mounting: one listing, then file
 * contents on demand. Extended attributes are read by extracting the one entry to a scratch directory.
 */
public final class SquashfsImageFs implements ImageFileSystem {
    private final Path image;
    private final Unsquashfs unsquashfs;
    private Map<String, TreeEntry> entries;

    public SquashfsImageFs(Path image, Unsquashfs unsquashfs) {
        this.image = image;
        this.unsquashfs = unsquashfs;
    }

    private Map<String, TreeEntry> entries() throws OperationFailedException {
        if (entries == null) {
            Map<String, TreeEntry> m = new LinkedHashMap<>();
            for (TreeEntry e : unsquashfs.list(image)) {
                m.put(e.path(), e);
            }
            entries = m;
        }
        return entries;
    }

    @Override
    public Optional<TreeEntry> lstat(String path) throws OperationFailedException {
        return Optional.ofNullable(entries().get(path));
    }

    @Override
    public List<TreeEntry> list(String path) throws OperationFailedException {
        List<TreeEntry> out = new ArrayList<>();
        for (TreeEntry e : entries().values()) {
            if (path.equals(e.parent())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(TreeEntry::name));
        return out;
    }

    @Override
    public List<TreeEntry> walk() throws OperationFailedException {
        return List.copyOf(entries().values());
    }

    @Override
    public byte[] read(String path) throws OperationFailedException {
        return unsquashfs.cat(image, path);
    }

    @Override
    public Map<String, String> xattrs(String path) throws OperationFailedException {
        Optional<TreeEntry> e = lstat(path);
        if (e.isEmpty() || e.get().type() == EntryType.SYMLINK || path.isEmpty()) {
            return Map.of();
        }
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("sysextctl-xattr");
            Path dest = scratch.resolve("x");
            unsquashfs.extract(image, dest, List.of(path));
            return DirectoryImageFs.userXattrs(dest.resolve(path));
        } catch (IOException ex) {
            throw new OperationFailedException("cannot create a scratch directory: " + ex.getMessage()
                    + "; check that the temporary directory is writable");
        } finally {
            deleteTree(scratch);
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort cleanup of a scratch directory
                }
            });
        } catch (IOException ignored) {
            // best effort cleanup of a scratch directory
        }
    }
}
