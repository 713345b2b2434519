package dev.sysextctl.core.image.squashfs;

import dev.sysextctl.core.tree.EntryType;

/**
 * One inode as the inode table holds it (basic or extended form), with its owner already looked up in the id
 * table.
 *
 * @param ref the inode reference it was read from
 * @param kind the on-disk inode type (1–7 basic, 8–14 extended)
 * @param mode the permission bits ({@code 07777})
 * @param mtime seconds since the epoch
 * @param number the inode number (hard links share it)
 * @param size file size, directory listing size, symlink target length; 0 for other types
 * @param xattrIndex the index into the xattr id table, or {@link #NO_XATTRS}
 * @param layout where the content is, by type
 */
public record Inode(long ref, int kind, EntryType type, int mode, int uid, int gid, long mtime, long number,
        long nlink, long size, long xattrIndex, Layout layout) {
    public static final long NO_XATTRS = 0xffffffffL;

    /** Where an inode's content is. */
    public sealed interface Layout permits FileLayout, DirectoryLayout, SymlinkLayout, DeviceLayout, NoLayout {
    }

    /**
     * A regular file: full blocks from {@code blocksStart} (their sizes in the block list after the inode), then
     * the tail in fragment {@code fragment} at {@code fragmentOffset} unless {@code fragment} is
     * {@link #NO_FRAGMENT}.
     */
    public record FileLayout(long blocksStart, long fragment, long fragmentOffset, long blockListBlock,
            int blockListOffset) implements Layout {
        public static final long NO_FRAGMENT = 0xffffffffL;

        public boolean hasFragment() {
            return fragment != NO_FRAGMENT;
        }
    }

    /**
     * A directory: its listing at {@code block} (relative to the directory table) and {@code offset}, {@code size}
     * bytes plus 3 (for "." and ".."); extended directories carry {@code indexCount} index entries after the inode.
     */
    public record DirectoryLayout(long block, int offset, long size, int indexCount, long indexBlock, int indexOffset,
            long parent) implements Layout {
    }

    /** A symlink and its target (raw bytes, as stored). */
    public record SymlinkLayout(byte[] target) implements Layout {
    }

    /** A character or block device. */
    public record DeviceLayout(int major, int minor) implements Layout {
    }

    /** A FIFO or a socket: nothing but the inode. */
    public record NoLayout() implements Layout {
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }
}
