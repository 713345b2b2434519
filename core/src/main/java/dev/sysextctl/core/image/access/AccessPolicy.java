package dev.sysextctl.core.image.access;

/**
 * How far {@link ImageAccess} may go to read an image. Whatever the policy, an image it cannot read is answered
 * {@link ImageAccessResult.Unreadable} or {@link ImageAccessResult.NeedsRoot}, never an exception.
 */
public enum AccessPolicy {
    /**
     * In this process only (no native tool, no mount). For an image on a node, only what reads the same as the
     * kernel's mount of it: directories, and raw squashfs images the kernel would mount; the rest needs a mount.
     */
    USERSPACE,
    /**
     * In userspace, native tools allowed: {@code unsquashfs} reads the squashfs images the Java reader does not
     * (lzo, or found corrupt). Images a command was given also have their erofs read in Java; images on a node
     * other than directories and squashfs need a mount.
     */
    USERSPACE_OR_TOOL,
    /**
     * Mounted read-only by the {@link MountPolicy} the access was given (root, a private mount namespace): every
     * image, directories included, so that the mounts can become overlay layers.
     */
    MOUNTED
}
