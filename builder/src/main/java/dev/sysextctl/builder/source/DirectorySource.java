package dev.sysextctl.builder.source;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory tree as an image source. The walk is sorted by name (so the listing order of the file system does
 * not matter), never follows symlinks ({@code lstat}), reports files that share an inode as
 * {@link EntryType#HARDLINK} entries pointing to the first path seen, and carries the {@code user.*} extended
 * attributes. Sockets cannot be stored and are reported and left out; symlinks whose relative target climbs
 * out of the tree are {@code unsafe-path}.
 */
public final class DirectorySource implements ImageSource {
    private static final int S_IFMT = 0170000;
    private final Path root;

    public DirectorySource(Path root) throws UsageException {
        if (!Files.isDirectory(root)) {
            throw new UsageException(root + " is not a directory; give a directory or a tar archive");
        }
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException {
        walk(root, "", visitor, findings, new HashMap<>(), true);
    }

    /**
     * {@link #scan}, without opening any file: the visitor gets no content (null) and no extended attributes, for a
     * reader of the tree's metadata only (mksquashfs reads the content and the attributes itself).
     */
    public void scanWithoutContent(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException {
        walk(root, "", visitor, findings, new HashMap<>(), false);
    }

    private record InodeKey(Object dev, Object ino) {
    }

    private void walk(Path dir, String rel, EntryVisitor visitor, Findings findings, Map<InodeKey, String> inodes,
            boolean content) throws IOException, SysextctlException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        } catch (IOException e) {
            throw new OperationFailedException("cannot list " + dir + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String name = child.getFileName().toString();
            String path = rel.isEmpty() ? name : rel + "/" + name;
            Map<String, Object> a;
            try {
                a = Files.readAttributes(child, "unix:mode,uid,gid,size,rdev,ino,dev,nlink,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new OperationFailedException("cannot read " + child + ": " + AtomicFiles.describe(e)
                        + "; check the permissions");
            }
            int mode = (Integer) a.get("mode");
            int uid = (Integer) a.get("uid");
            int gid = (Integer) a.get("gid");
            long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
            switch (mode & S_IFMT) {
                case 0040000 -> {
                    visitor.visit(new TreeEntry(path, EntryType.DIRECTORY, mode, uid, gid, 0, null, 0, 0, mtime,
                            xattrs(child, content)), null);
                    walk(child, path, visitor, findings, inodes, content);
                }
                case 0120000 -> {
                    String target = Files.readSymbolicLink(child).toString();
                    if (!ImagePaths.relativeLinkStaysInside(path, target)) {
                        findings.add(LintRule.UNSAFE_PATH, path, "symlink to " + target
                                + " climbs out of the tree; it was left out");
                        continue;
                    }
                    visitor.visit(new TreeEntry(path, EntryType.SYMLINK, 0777, uid, gid, target.length(), target,
                            0, 0, mtime, null), null);
                }
                case 0100000 -> {
                    int nlink = (Integer) a.get("nlink");
                    if (nlink > 1) {
                        InodeKey key = new InodeKey(a.get("dev"), a.get("ino"));
                        String first = inodes.putIfAbsent(key, path);
                        if (first != null) {
                            visitor.visit(new TreeEntry(path, EntryType.HARDLINK, mode, uid, gid, 0, first, 0, 0, mtime,
                                    null), null);
                            continue;
                        }
                    }
                    long size = (Long) a.get("size");
                    TreeEntry e = new TreeEntry(path, EntryType.FILE, mode, uid, gid, size, null, 0, 0, mtime,
                            xattrs(child, content));
                    if (!content) {
                        visitor.visit(e, null);
                        continue;
                    }
                    if (!Files.isReadable(child)) {
                        throw new java.nio.file.AccessDeniedException(child.toString());
                    }
                    try (InputStream in = new FileInput(child)) {
                        visitor.visit(e, in);
                    } catch (java.nio.file.AccessDeniedException ex) {
                        throw new OperationFailedException("cannot read " + child + ": permission denied; make it "
                                + "readable or build as its owner");
                    }
                }
                case 0140000 -> findings.add(LintRule.DEVICE_NODE.finding(path, "a socket cannot be stored in an "
                        + "image; it was left out", "remove the socket from the tree"));
                default -> {
                    EntryType type = switch (mode & S_IFMT) {
                        case 0020000 -> EntryType.CHAR_DEVICE;
                        case 0060000 -> EntryType.BLOCK_DEVICE;
                        default -> EntryType.FIFO;
                    };
                    long rdev = (Long) a.get("rdev");
                    int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
                    int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
                    visitor.visit(new TreeEntry(path, type, mode, uid, gid, 0, null,
                            type == EntryType.FIFO ? 0 : major, type == EntryType.FIFO ? 0 : minor, mtime, null), null);
                }
            }
        }
    }

    /**
     * The {@code user.*} extended attributes of a directory or regular file; none for a scan without content (its
     * reader, mksquashfs, reads them itself: {@code DirectSquashfs#matches} finds them in the image). Reading them
     * opens the file ({@code flistxattr}): three system calls per entry.
     */
    private static Map<String, String> xattrs(Path child, boolean content) {
        return content ? DirectoryImageFs.userXattrsOf(child) : Map.of();
    }

    /**
     * A file's content, which also names the file ({@link FileBackedContent}); opened at the first read, so a visitor
     * that only looks at the entry, or links the file by its name, costs no open.
     */
    private static final class FileInput extends InputStream implements FileBackedContent {
        private final Path file;
        private InputStream in;

        FileInput(Path file) {
            this.file = file;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public long skip(long n) throws IOException {
            return in().skip(n);
        }

        @Override
        public int available() throws IOException {
            return in().available();
        }

        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
            return in().transferTo(out);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }

        @Override
        public Path file() {
            return file;
        }
    }
}
