package dev.sysextctl.builder.write;

import dev.sysextctl.builder.tree.PathOrder;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.tools.SquashfsDirectoryInput;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A squashfs build of one directory in which mksquashfs reads the tree itself instead of a tar stream from the JVM
 * (no second reader of every byte competing with the compressor), giving the very image the tar stream gives.
 * It is planned from the stream the single pass would write ({@code stream}: every entry in order, content not
 * read) and the paths the directory holds ({@code visited}):
 * <ul>
 * <li>what the plan leaves out (etc/, a replaced extension-release, sockets) is excluded ({@code -ef});</li>
 * <li>the extension-release and the directories it needs that the tree lacks are pseudo files ({@code -pf});
 *     mksquashfs reads the release where the stream has it, at its place in path order;</li>
 * <li>owners, times and the root's mode come from the same options as a tar build's.</li>
 * </ul>
 * It does not apply, and the tar stream is used, when it could not give the same bytes: a stream not in
 * mksquashfs's order ({@link PathOrder}), an entry with extended attributes (mksquashfs 4.5 would add the
 * {@code security.*} and {@code trusted.*} ones the tar stream leaves out; it cannot be told to keep only
 * {@code user.*}), a system with SELinux (every file carries a label), names an exclude or pseudo file cannot
 * hold, an entry the plan changed. After the build, {@link #matches} checks the image's inode count and that it
 * holds no extended attributes, which catches a tree that changed since it was scanned and attributes that were
 * not visible to the scan; the caller then builds through the tar stream.
 */
public final class DirectSquashfs {
    private static final Pattern PSEUDO_NAME = Pattern.compile("[A-Za-z0-9._@+:/-]+");
    private static final Path SELINUX = Path.of("/sys/fs/selinux/enforce");
    private static final int SUPERBLOCK = 96;
    private static final int MAGIC = 0x73717368;

    private final Path root;
    private final List<String> excludes;
    private final List<TreeEntry> impliedDirs;
    private final TreeEntry release;
    private final long inodes;

    private DirectSquashfs(Path root, List<String> excludes, List<TreeEntry> impliedDirs, TreeEntry release,
            long inodes) {
        this.root = root;
        this.excludes = excludes;
        this.impliedDirs = impliedDirs;
        this.release = release;
        this.inodes = inodes;
    }

    /** The outcome of {@link #plan}: the direct build, or why the tar stream is used. */
    public record Decision(Optional<DirectSquashfs> direct, String reason) {
        static Decision no(String reason) {
            return new Decision(Optional.empty(), reason);
        }
    }

    /**
     * @param root the source directory
     * @param stream the entries the single pass writes, in its order (the image's, normalised)
     * @param visited the paths the source visited
     * @param findings every finding of the scan and lint (paths left out without a visit: sockets)
     * @param releasePath where the extension-release goes
     */
    public static Decision plan(Path root, List<TreeEntry> stream, Set<String> visited, List<Finding> findings,
            String releasePath) {
        return plan(root, stream, visited, findings, releasePath, Files.exists(SELINUX));
    }

    static Decision plan(Path root, List<TreeEntry> stream, Set<String> visited, List<Finding> findings,
            String releasePath, boolean selinux) {
        if (selinux) {
            return Decision.no("SELinux labels every file (security.selinux), which the tar stream leaves out");
        }
        Set<String> inImage = new HashSet<>();
        List<TreeEntry> implied = new ArrayList<>();
        TreeEntry release = null;
        long inodes = 1;
        String previous = null;
        for (TreeEntry e : stream) {
            if (e.type() != EntryType.DIRECTORY) {
                // What decides the bytes is the order of the files' content: directories carry none.
                if (previous != null && PathOrder.compare(previous, e.path()) >= 0) {
                    return Decision.no(e.path() + " comes after " + previous + ", not in mksquashfs's order");
                }
                previous = e.path();
            }
            if (!e.xattrs().isEmpty()) {
                return Decision.no(e.path() + " has extended attributes");
            }
            inImage.add(e.path());
            if (e.type() != EntryType.HARDLINK) {
                inodes++;
            }
            if (e.path().equals(releasePath)) {
                release = e;
            } else if (!visited.contains(e.path())) {
                if (e.type() != EntryType.DIRECTORY || !releasePath.startsWith(e.path() + "/")) {
                    return Decision.no(e.path() + " is not in the tree as the image has it");
                }
                implied.add(e);
            }
        }
        if (release == null || !PSEUDO_NAME.matcher(releasePath).matches()) {
            return Decision.no("the extension-release's path cannot be a pseudo file");
        }
        for (TreeEntry d : implied) {
            if (!PSEUDO_NAME.matcher(d.path()).matches()) {
                return Decision.no(d.path() + " cannot be a pseudo directory");
            }
        }
        TreeSet<String> left = new TreeSet<>(PathOrder.MKSQUASHFS);
        for (String p : visited) {
            if (!inImage.contains(p) || p.equals(releasePath)) {
                left.add(p); // the source's own extension-release too: the pseudo file replaces it
            }
        }
        for (Finding f : findings) {
            if (!f.path().isEmpty() && !inImage.contains(f.path()) && ImagePaths.normalize(f.path())
                    .map(f.path()::equals).orElse(false)) {
                left.add(f.path());
            }
        }
        List<String> excludes = new ArrayList<>();
        for (String p : left) {
            if (!excludes.isEmpty() && p.startsWith(excludes.get(excludes.size() - 1) + "/")) {
                continue; // below an excluded directory
            }
            if (p.indexOf('\n') >= 0 || p.indexOf('\\') >= 0 || !p.equals(p.strip())) {
                return Decision.no("left-out path " + ImagePaths.cescape(p) + " cannot be written to an exclude file");
            }
            excludes.add(p);
        }
        return new Decision(Optional.of(new DirectSquashfs(root, List.copyOf(excludes), List.copyOf(implied), release,
                inodes)), "");
    }

    /**
     * The direct build of {@code root} as {@link #plan} will most likely decide it, from a few {@code lstat}s
     * before the tree is scanned, so that mksquashfs can start at once and compress while the tree is scanned and
     * linted: {@code etc} and a release file of the source's own left out, the extension-release's directories
     * that the tree lacks added. Whether the plan did decide this is {@link #sameInputs}; if not, the early build
     * is stopped and thrown away. Empty where no direct build can be foreseen.
     *
     * @param releaseEntries the release's directories (outermost first) as the plan implies them, then the release
     *     file ({@link dev.sysextctl.builder.tree.SinglePassPlan#releaseEntries()})
     */
    public static Optional<DirectSquashfs> predict(Path root, List<TreeEntry> releaseEntries) {
        return predict(root, releaseEntries, Files.exists(SELINUX));
    }

    static Optional<DirectSquashfs> predict(Path root, List<TreeEntry> releaseEntries, boolean selinux) {
        TreeEntry release = releaseEntries.get(releaseEntries.size() - 1);
        if (selinux || !PSEUDO_NAME.matcher(release.path()).matches()) {
            return Optional.empty();
        }
        List<TreeEntry> implied = new ArrayList<>();
        for (TreeEntry d : releaseEntries.subList(0, releaseEntries.size() - 1)) {
            Path p = root.resolve(d.path());
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                implied.add(d);
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
        }
        TreeSet<String> left = new TreeSet<>(PathOrder.MKSQUASHFS);
        for (String p : List.of("etc", release.path())) {
            if (Files.exists(root.resolve(p), LinkOption.NOFOLLOW_LINKS)) {
                left.add(p);
            }
        }
        return Optional.of(new DirectSquashfs(root, List.copyOf(left), List.copyOf(implied), release, -1));
    }

    /** Whether mksquashfs reads the same for both: the tree, the paths left out, the pseudo files. */
    public boolean sameInputs(DirectSquashfs other) {
        return root.equals(other.root) && excludes.equals(other.excludes) && impliedDirs.equals(other.impliedDirs)
                && release.equals(other.release);
    }

    /** The paths left out, outermost only (for tests). */
    public List<String> excludes() {
        return excludes;
    }

    /**
     * Writes the pseudo and exclude files (and the release's content, which the pseudo file names) into
     * {@code scratch} (an empty directory) and returns what mksquashfs is to read.
     *
     * <p>The release is a pseudo hard link to that content ({@code l}), which mksquashfs reads like a file of the
     * tree, where the content file can carry the release's metadata: its mode set on the file, its owner either
     * replaced by {@code -all-root} ({@code ownersForced}) or the file's own. Otherwise it is made from the output
     * of {@code cat} ({@code f}), which costs mksquashfs a {@code fork} of itself in the middle of the build: on a
     * 150 MB tree about 0.13 s more system time, from the copy-on-write faults on its buffers after the fork.
     * Both give the same image (SquashfsDirectBuildIT compares each with the tar stream's).
     */
    public SquashfsDirectoryInput prepare(Path scratch, byte[] releaseBytes, boolean ownersForced) throws IOException {
        Path content = Files.write(scratch.resolve("extension-release"), releaseBytes);
        StringBuilder pseudo = new StringBuilder();
        for (TreeEntry d : impliedDirs) {
            pseudo.append(d.path()).append(" d ").append(Integer.toOctalString(d.mode() & 07777)).append(' ')
                    .append(d.uid()).append(' ').append(d.gid()).append('\n');
        }
        if (linkable(content, ownersForced)) {
            Files.setPosixFilePermissions(content, PosixFilePermissions.fromString(permissions(release.mode())));
            pseudo.append(release.path()).append(" l ").append(content).append('\n');
        } else {
            pseudo.append(release.path()).append(" f ").append(Integer.toOctalString(release.mode() & 07777))
                    .append(' ').append(release.uid()).append(' ').append(release.gid()).append(" cat ")
                    .append(shellQuote(content.toString())).append('\n');
        }
        Path pseudoFile = Files.writeString(scratch.resolve("pseudo"), pseudo, StandardCharsets.UTF_8);
        Path excludeFile = null;
        if (!excludes.isEmpty()) {
            excludeFile = Files.writeString(scratch.resolve("exclude"), String.join("\n", excludes) + "\n",
                    StandardCharsets.UTF_8);
        }
        return new SquashfsDirectoryInput(root.toRealPath(), pseudoFile, excludeFile);
    }

    /**
     * Whether {@code content} can stand for the release as a pseudo hard link: a name the pseudo file holds as it
     * is, permission bits the file can be given (readable by its owner, and no set-id or sticky bit, which the file
     * API cannot set) and the release's owner, unless every owner becomes root.
     */
    private boolean linkable(Path content, boolean ownersForced) throws IOException {
        int mode = release.mode() & 07777;
        if ((mode & 07000) != 0 || (mode & 0400) == 0 || !content.isAbsolute()
                || !PSEUDO_NAME.matcher(content.toString()).matches()) {
            return false;
        }
        if (ownersForced) {
            return true;
        }
        Map<String, Object> a = Files.readAttributes(content, "unix:uid,gid", LinkOption.NOFOLLOW_LINKS);
        return (Integer) a.get("uid") == release.uid() && (Integer) a.get("gid") == release.gid();
    }

    /** {@code rwxr-x---}-style text of the permission bits of {@code mode}. */
    private static String permissions(int mode) {
        StringBuilder b = new StringBuilder(9);
        String rwx = "rwx";
        for (int bit = 8; bit >= 0; bit--) {
            b.append((mode & (1 << bit)) != 0 ? rwx.charAt((8 - bit) % 3) : '-');
        }
        return b.toString();
    }

    /**
     * Whether the image mksquashfs wrote holds what the plan has: as many inodes (a file added or removed since the
     * scan, a socket not excluded, shows here) and no extended attributes.
     */
    public boolean matches(Path image) throws IOException {
        byte[] sb = new byte[SUPERBLOCK];
        try (InputStream in = Files.newInputStream(image)) {
            if (in.readNBytes(sb, 0, SUPERBLOCK) != SUPERBLOCK) {
                return false;
            }
        }
        ByteBuffer b = ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
        return b.getInt(0) == MAGIC && Integer.toUnsignedLong(b.getInt(4)) == inodes && b.getLong(56) == -1L;
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
