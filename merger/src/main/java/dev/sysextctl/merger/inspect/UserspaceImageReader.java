package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.image.squashfs.SquashfsImage;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.node.Node;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads, without mounting and without starting a process, the images whose reading gives what mounting them
 * would: directories as they are, and raw squashfs images the kernel would mount, through the Java squashfs
 * reader. Everything else (erofs and file-system images, block devices, squashfs images the kernel would refuse
 * or the Java reader cannot read) is left for mounting, so that its outcome and messages stay the mount's.
 */
public final class UserspaceImageReader {
    /** A loop device has whole 512-byte sectors: the tail of a file of another size is not on the device. */
    private static final long SECTOR = 512;

    private UserspaceImageReader() {
    }

    /** What was read, and the entries left for mounting (in their given order). */
    public record Outcome(Map<ImageEntry, ImageInspection> read, List<ImageEntry> toMount) {
    }

    public static Outcome inspect(Node node, List<ImageEntry> entries) {
        Map<ImageEntry, ImageInspection> read = new IdentityHashMap<>();
        List<ImageEntry> toMount = new ArrayList<>();
        for (ImageEntry e : entries) {
            SquashfsImage squashfs = e.type() == ImageType.RAW ? squashfs(e) : null;
            // a valid superblock starts with the squashfs magic: what ImageFormat.detect calls SQUASHFS
            ImageFormat f = squashfs != null ? ImageFormat.SQUASHFS : ImageFormats.detect(e);
            if (squashfs == null) {
                String[] refusal = e.type() == ImageType.RAW ? ImageFormats.unmountable(e, f) : null;
                if (refusal != null) {
                    read.put(e, ImageInspection.unreadable(f, refusal[0], refusal[1]));
                    continue;
                }
            }
            ImageFileSystem fs = open(e, f, squashfs);
            if (fs == null) {
                toMount.add(e);
                continue;
            }
            try (fs) {
                read.put(e, ImageInspector.inspect(fs, e.name(), e.type(), f, node.systemdVersion(),
                        node.hierarchies()));
            } catch (OperationFailedException ex) {
                toMount.add(e);
            }
        }
        return new Outcome(read, toMount);
    }

    /** The image opened for reading in userspace, or null when it has to be mounted. */
    private static ImageFileSystem open(ImageEntry e, ImageFormat f, SquashfsImage squashfs) {
        if (squashfs != null) {
            if (kernelMounts(squashfs)) {
                return SquashfsImageFs.of(squashfs);
            }
            squashfs.close();
            return null;
        }
        if (f == ImageFormat.DIRECTORY && (e.type() == ImageType.DIRECTORY || e.type() == ImageType.SUBVOLUME)) {
            return new DirectoryImageFs(e.source());
        }
        return null;
    }

    /** The raw image opened by the Java squashfs reader, or null when it is not one it reads. */
    private static SquashfsImage squashfs(ImageEntry e) {
        try {
            return SquashfsImage.open(e.source());
        } catch (OperationFailedException ex) {
            return null;
        }
    }

    /**
     * Whether the kernel would mount it through a loop device: a compressor it has, and a file system that ends
     * within the device (a file whose size is not a multiple of 512 loses its tail; {@code mksquashfs -nopad}).
     */
    static boolean kernelMounts(SquashfsImage image) {
        long device = image.fileSize() / SECTOR * SECTOR;
        return image.compression().kernelMountable() && image.superblock().bytesUsed() <= device;
    }
}
