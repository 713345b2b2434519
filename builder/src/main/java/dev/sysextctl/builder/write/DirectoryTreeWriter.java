package dev.sysextctl.builder.write;

import dev.sysextctl.builder.source.FileBackedContent;
import dev.sysextctl.builder.tree.TreeSink;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.tools.SpecialFiles;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes entries into a directory (the staged tree mkfs.erofs reads, or a directory extension). Directories are
 * created writable and get their final mode at {@link #finish()}, deepest first, so that read-only directories
 * can be filled; owners are set only when running as root (an unprivileged build leaves its own); setuid,
 * setgid and sticky bits are applied after the owner. Only {@code user.*} extended attributes can be set. Device
 * nodes and FIFOs are never opened (that blocks on a FIFO): they are made and timed by {@link SpecialFiles}.
 * Nothing is written outside the target directory: entries are created with their parents already in place and
 * never through a symlink.
 *
 * <p>A writer {@link #linkingSourceFiles linking source files} (the stage mkfs.erofs reads, never a directory
 * extension) hard-links a regular file it is handed as a {@link FileBackedContent} instead of copying its bytes,
 * where the link is possible (same file system, allowed) and gives what a copy would give the reader: the same
 * type, permission bits and size, the same owner when {@code ownersMatter}, no extended attributes wanted, and an
 * inode not linked under another name already (that would make two files one). A linked file is never changed: no
 * owner, mode, time or attribute is set on it (mkfs.erofs takes times from {@code -T} and owners from
 * {@code --all-root}, and is told to read no extended attributes). Otherwise the file is copied as usual.
 */
public final class DirectoryTreeWriter implements TreeSink {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private final Path root;
    private final SpecialFiles specialFiles;
    private final boolean setOwners;
    private final boolean link;
    private final boolean ownersMatter;
    private final List<TreeEntry> written = new ArrayList<>();
    /** Paths of the tree that are links to source files (nothing may change them). */
    private final Set<String> linked = new HashSet<>();
    /** The source inodes linked so far (device, inode). */
    private final Set<List<Object>> linkedInodes = new HashSet<>();

    /**
     * @param root an existing, empty directory
     * @param setOwners chown every entry to its uid/gid (needs root)
     */
    public DirectoryTreeWriter(Path root, SpecialFiles specialFiles, boolean setOwners) {
        this(root, specialFiles, setOwners, false, true);
    }

    private DirectoryTreeWriter(Path root, SpecialFiles specialFiles, boolean setOwners, boolean link,
            boolean ownersMatter) {
        this.root = root;
        this.specialFiles = specialFiles;
        this.setOwners = setOwners;
        this.link = link;
        this.ownersMatter = ownersMatter;
    }

    /**
     * A writer that hard-links source files where a link gives the reader what a copy would (see above): for a tree
     * that mkfs.erofs reads with a fixed time, without extended attributes, and with {@code --all-root} unless
     * {@code ownersMatter}.
     */
    public static DirectoryTreeWriter linkingSourceFiles(Path root, SpecialFiles specialFiles, boolean setOwners,
            boolean ownersMatter) {
        return new DirectoryTreeWriter(root, specialFiles, setOwners, true, ownersMatter);
    }

    /** How many files were linked instead of copied. */
    public int linkedFiles() {
        return linkedInodes.size();
    }

    private Path at(TreeEntry e) throws IOException {
        Path p = root.resolve(e.path()).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IOException("refusing to write " + e.path() + " outside " + root);
        }
        Path parent = p.getParent();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("the parent of " + e.path() + " is not a directory in the staged tree");
        }
        return p;
    }

    @Override
    public void add(TreeEntry e, InputStream content) throws IOException, SysextctlException {
        Path p = at(e);
        switch (e.type()) {
            case DIRECTORY -> Files.createDirectory(p);
            case FILE -> {
                if (link && linkSourceFile(e, p, content)) {
                    return;
                }
                try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    Content.copyExactly(content, out, e.size(), e.path());
                }
                if (e.size() > 0 && content.read() >= 0) {
                    throw new Content.SourceChangedException(e.path() + " is longer than its " + e.size()
                            + " bytes (it changed during the build)");
                }
            }
            case SYMLINK -> Files.createSymbolicLink(p, Path.of(e.linkTarget()));
            case HARDLINK -> {
                Files.createLink(p, at(new TreeEntry(e.linkTarget(), EntryType.FILE, 0, 0, 0, 0, null, 0, 0, 0,
                        null)));
                if (linked.contains(e.linkTarget())) {
                    linked.add(e.path()); // the source's inode: its time is not to be set either
                } else {
                    written.add(e);
                }
                return;
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> specialFiles.create(p, e.type(), e.devMajor(), e.devMinor(),
                    e.mode());
            default -> throw new OperationFailedException(e.path() + ": a " + e.type().jsonName()
                    + " cannot be stored in an image; remove it from the source");
        }
        if (setOwners) {
            Files.setAttribute(p, "unix:uid", e.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", e.gid(), LinkOption.NOFOLLOW_LINKS);
        }
        if (e.type() == EntryType.FILE) {
            Files.setAttribute(p, "unix:mode", e.mode(), LinkOption.NOFOLLOW_LINKS);
        }
        if (e.type() == EntryType.FILE || e.type() == EntryType.DIRECTORY) {
            setXattrs(p, e.xattrs());
        }
        written.add(e);
    }

    /**
     * Links the source file of {@code e} at {@code p} when that gives what a copy would; false (and nothing left at
     * {@code p}) when it does not, and the caller copies.
     */
    private boolean linkSourceFile(TreeEntry e, Path p, InputStream content) throws IOException {
        Path source = FileBackedContent.fileOf(content);
        if (source == null || !e.xattrs().isEmpty()) {
            return false;
        }
        try {
            Files.createLink(p, source);
        } catch (IOException | UnsupportedOperationException | SecurityException x) {
            return false; // another file system, not allowed (protected_hardlinks), ...: copied instead
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,ino,dev", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        boolean same = (mode & S_IFMT) == S_IFREG && (mode & 07777) == e.mode() && (Long) a.get("size") == e.size()
                && (!ownersMatter || ((Integer) a.get("uid") == e.uid() && (Integer) a.get("gid") == e.gid()))
                && linkedInodes.add(List.of(a.get("dev"), a.get("ino")));
        if (!same) {
            Files.delete(p);
            return false;
        }
        linked.add(e.path());
        return true;
    }

    private static void setXattrs(Path p, Map<String, String> xattrs) throws IOException {
        if (xattrs.isEmpty()) {
            return;
        }
        UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        for (Map.Entry<String, String> x : xattrs.entrySet()) {
            if (x.getKey().startsWith("user.") && v != null) {
                v.write(x.getKey().substring(5), ByteBuffer.wrap(x.getValue().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** Applies directory modes and every entry's time, deepest entries first. */
    public void finish() throws OperationFailedException {
        try {
            for (int i = written.size() - 1; i >= 0; i--) {
                TreeEntry e = written.get(i);
                Path p = root.resolve(e.path());
                if (e.type() == EntryType.DIRECTORY) {
                    Files.setAttribute(p, "unix:mode", e.mode(), LinkOption.NOFOLLOW_LINKS);
                }
                if (e.type().isSpecial()) {
                    specialFiles.setTime(p, e.mtime());
                    continue;
                }
                FileTime t = FileTime.fromMillis(e.mtime() * 1000);
                Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .setTimes(t, t, null);
            }
            FileTime t = FileTime.fromMillis(written.isEmpty() ? 0 : written.get(0).mtime() * 1000);
            Files.setAttribute(root, "unix:mode", 0755);
            Files.getFileAttributeView(root, BasicFileAttributeView.class).setTimes(t, t, null);
        } catch (IOException e) {
            throw new OperationFailedException("cannot finish the tree in " + root + ": " + AtomicFiles.describe(e)
                    + "; check that the file system supports permissions and timestamps");
        }
    }
}
