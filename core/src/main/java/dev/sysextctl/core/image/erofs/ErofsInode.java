package dev.sysextctl.core.image.erofs;

import dev.sysextctl.core.tree.EntryType;

/**
 * One inode as the image holds it. {@code offset} is where it starts in the image, {@code inodeSize} 32 (compact)
 * or 64 (extended), {@code xattrSize} the inline xattr area after it; {@code union} is the raw
 * {@code i_u} field (start block, device number or chunk format, depending on type and layout).
 */
public record ErofsInode(long nid, EntryType type, int mode, int uid, int gid, long size, int layout, long union,
        long mtime, long offset, int inodeSize, int xattrSize, int nlink) {
    static final int FLAT_PLAIN = 0;
    static final int COMPRESSED_FULL = 1;
    static final int FLAT_INLINE = 2;
    static final int COMPRESSED_COMPACT = 3;
    static final int CHUNK_BASED = 4;

    /** Where the data after the inode and its inline xattrs starts (inline data, indexes, chunk maps). */
    long bodyEnd() {
        return offset + inodeSize + xattrSize;
    }

    /** The device number's major (device nodes only). */
    public int devMajor() {
        return (int) ((union & 0xfff00) >> 8);
    }

    /** The device number's minor (device nodes only). */
    public int devMinor() {
        return (int) ((union & 0xff) | ((union >> 12) & 0xfff00));
    }
}
