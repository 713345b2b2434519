package dev.sysextctl.builder.write;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sha256 of a directory tree (a directory extension): the digest of its canonical tar stream, entries sorted
 * by path, the first path of an inode a file and later ones hard links, with owner, mode, mtime, {@code user.*}
 * extended attributes and content as they are on disk. {@code build} reports it for {@code --format directory}
 * and {@code inspect} computes the same for a directory, so the two can be compared.
 */
public final class DirectoryDigest {
    private DirectoryDigest() {
    }

    public static String of(Path root) throws OperationFailedException {
        Path base = root.toAbsolutePath().normalize();
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> s = Files.walk(base)) {
            s.filter(p -> !p.equals(base)).forEach(paths::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new OperationFailedException("cannot read " + root + ": " + e.getMessage() + "; check the permissions");
        }
        List<String> rel = new ArrayList<>();
        for (Path p : paths) {
            rel.add(base.relativize(p).toString());
        }
        rel.sort(null);
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        Map<Object, String> inodes = new HashMap<>();
        try (TarStreamWriter tar = new TarStreamWriter(new DigestOutputStream(OutputStream.nullOutputStream(), md))) {
            for (String r : rel) {
                Path p = base.resolve(r);
                TreeEntry e = DirectoryImageFs.entry(r, p);
                if (e.type() == EntryType.SOCKET) {
                    continue;
                }
                if (e.type() == EntryType.FILE || e.type() == EntryType.DIRECTORY) {
                    e = e.withXattrs(DirectoryImageFs.userXattrs(p)); // never opens FIFOs or devices
                }
                if (e.type() == EntryType.FILE) {
                    Map<String, Object> a = Files.readAttributes(p, "unix:ino,dev,nlink", LinkOption.NOFOLLOW_LINKS);
                    if ((Integer) a.get("nlink") > 1) {
                        String first = inodes.putIfAbsent(a.get("dev") + ":" + a.get("ino"), r);
                        if (first != null) {
                            tar.add(new TreeEntry(r, EntryType.HARDLINK, e.mode(), e.uid(), e.gid(), 0, first, 0, 0,
                                    e.mtime(), null), null);
                            continue;
                        }
                    }
                    try (InputStream in = Files.newInputStream(p)) {
                        tar.add(e, in);
                    }
                } else {
                    tar.add(e, null);
                }
            }
            tar.finish();
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + root + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
