package dev.sysextctl.core.image.squashfs;

/**
 * One entry of a directory listing: its name (decoded as UTF-8), the reference of its inode and the basic type
 * (1–7) the listing records for it.
 */
public record DirEntry(String name, long inodeRef, int type, long inodeNumber) {
}
