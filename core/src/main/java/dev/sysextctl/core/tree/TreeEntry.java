package dev.sysextctl.core.tree;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry of an image tree, as the image will hold it. {@code path} is relative to the image root, with
 * {@code /} separators and no leading or trailing slash ({@code ""} is the root itself). {@code mode} holds the
 * permission bits including setuid, setgid and sticky ({@code 07777}); {@code linkTarget} is the symlink text or
 * the hard link's target path; device numbers apply to device nodes; {@code xattrs} maps names to values.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TreeEntry(String path, EntryType type, int mode, int uid, int gid, long size, String linkTarget,
        int devMajor, int devMinor, long mtime, Map<String, String> xattrs) {
    public static final int SETUID = 04000;
    public static final int SETGID = 02000;
    public static final int STICKY = 01000;

    public TreeEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        if (path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("not a normalised image path: " + path);
        }
        mode &= 07777;
        xattrs = xattrs == null || xattrs.isEmpty() ? Map.of() : new TreeMap<>(xattrs);
    }

    public static TreeEntry directory(String path, int mode) {
        return new TreeEntry(path, EntryType.DIRECTORY, mode, 0, 0, 0, null, 0, 0, 0, null);
    }

    public static TreeEntry file(String path, int mode, long size) {
        return new TreeEntry(path, EntryType.FILE, mode, 0, 0, size, null, 0, 0, 0, null);
    }

    public static TreeEntry symlink(String path, String target) {
        return new TreeEntry(path, EntryType.SYMLINK, 0777, 0, 0, target.length(), target, 0, 0, 0, null);
    }

    /** The last path component ({@code ""} for the root). */
    @JsonIgnore
    public String name() {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }

    /** The parent's path, {@code ""} for top-level entries; null for the root. */
    @JsonIgnore
    public String parent() {
        if (path.isEmpty()) {
            return null;
        }
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    /** The first path component ({@code usr} for {@code usr/bin/x}). */
    @JsonIgnore
    public String topLevel() {
        int i = path.indexOf('/');
        return i < 0 ? path : path.substring(0, i);
    }

    public TreeEntry withPath(String newPath) {
        return new TreeEntry(newPath, type, mode, uid, gid, size, linkTarget, devMajor, devMinor, mtime, xattrs);
    }

    public TreeEntry withOwner(int newUid, int newGid) {
        return new TreeEntry(path, type, mode, newUid, newGid, size, linkTarget, devMajor, devMinor, mtime, xattrs);
    }

    public TreeEntry withMode(int newMode) {
        return new TreeEntry(path, type, newMode, uid, gid, size, linkTarget, devMajor, devMinor, mtime, xattrs);
    }

    public TreeEntry withMtime(long newMtime) {
        return new TreeEntry(path, type, mode, uid, gid, size, linkTarget, devMajor, devMinor, newMtime, xattrs);
    }

    public TreeEntry withSize(long newSize) {
        return new TreeEntry(path, type, mode, uid, gid, newSize, linkTarget, devMajor, devMinor, mtime, xattrs);
    }

    public TreeEntry withLinkTarget(String target) {
        return new TreeEntry(path, type, mode, uid, gid, size, target, devMajor, devMinor, mtime, xattrs);
    }

    public TreeEntry withXattrs(Map<String, String> newXattrs) {
        return new TreeEntry(path, type, mode, uid, gid, size, linkTarget, devMajor, devMinor, mtime, newXattrs);
    }

    /*
     * equals and hashCode written out: a record's generated ones are bootstrapped through ObjectMethods at their first
     * call, which spins method-handle classes at run time that no class-data archive keeps (a directory build
     * compares its early mksquashfs's inputs with the plan's, DirectSquashfs#sameInputs, while mksquashfs compresses).
     * Component by component, as the generated ones.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TreeEntry e && mode == e.mode && uid == e.uid && gid == e.gid && size == e.size
                && devMajor == e.devMajor && devMinor == e.devMinor && mtime == e.mtime && type == e.type
                && path.equals(e.path) && Objects.equals(linkTarget, e.linkTarget) && xattrs.equals(e.xattrs);
    }

    @Override
    public int hashCode() {
        int h = path.hashCode();
        h = 31 * h + type.hashCode();
        h = 31 * h + mode;
        h = 31 * h + uid;
        h = 31 * h + gid;
        h = 31 * h + Long.hashCode(size);
        h = 31 * h + Objects.hashCode(linkTarget);
        h = 31 * h + devMajor;
        h = 31 * h + devMinor;
        h = 31 * h + Long.hashCode(mtime);
        return 31 * h + xattrs.hashCode();
    }

    /** {@code rwxr-sr-x}-style permission string with the type letter in front. */
    @JsonIgnore
    public String lsMode() {
        char[] s = new char[10];
        s[0] = type == EntryType.HARDLINK ? '-' : type.lsChar();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
        }
        if ((mode & SETUID) != 0) {
            s[3] = s[3] == 'x' ? 's' : 'S';
        }
        if ((mode & SETGID) != 0) {
            s[6] = s[6] == 'x' ? 's' : 'S';
        }
        if ((mode & STICKY) != 0) {
            s[9] = s[9] == 'x' ? 't' : 'T';
        }
        return new String(s);
    }
}
