package dev.sysextctl.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.testcontainers.images.builder.Transferable;

/**
 * A directory tree of the host laid over a node's {@code /} before its first boot, as one tar stream: directories,
 * regular files and symbolic links with their modes, every entry owned by root, links kept as links (a
 * {@code /dev/null} link stays a link). Existing directories of the node are kept and take the tree's mode; existing
 * files and links at the same paths are replaced.
 *
 * <p>This is how a root prepared on the host (e.g. by Ignition's files stage run with {@code -root}) becomes the
 * node's root at its first boot.
 */
final class HostTree implements Transferable {
    private final Path root;

    HostTree(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("not a directory: " + root);
        }
        this.root = root;
    }

    /** The paths below the root, parents before children, in a stable order. */
    List<Path> entries() {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = new ArrayList<>();
            walk.filter(p -> !p.equals(root)).sorted().forEach(all::add);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
    }

    @Override
    public long getSize() {
        return 0;
    }

    @Override
    public String getDescription() {
        return "tree " + root;
    }

    @Override
    public void transferTo(TarArchiveOutputStream tar, String destination) {
        String prefix = destination.endsWith("/") ? destination : destination + "/";
        try {
            for (Path p : entries()) {
                String name = (prefix + root.relativize(p)).replaceFirst("^/+", "");
                TarArchiveEntry e;
                boolean file = false;
                if (Files.isSymbolicLink(p)) {
                    e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(Files.readSymbolicLink(p).toString());
                    e.setMode(0120777);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    e = new TarArchiveEntry(name + "/");
                    e.setMode(040000 | mode(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    e = new TarArchiveEntry(name);
                    e.setMode(0100000 | mode(p));
                    e.setSize(Files.size(p));
                    file = true;
                } else {
                    throw new IllegalArgumentException(p + " is neither a file, a directory nor a link");
                }
                e.setIds(0, 0);
                e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
                tar.putArchiveEntry(e);
                if (file) {
                    try (InputStream in = Files.newInputStream(p)) {
                        in.transferTo(tar);
                    }
                }
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + root + " for the node", e);
        }
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
