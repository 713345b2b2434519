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
import java.io.IOException;
import java.nio.file.Files;
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
            ImageFormat f = ImageFormats.detect(e);
            String[] refusal = e.type() == ImageType.RAW ? ImageFormats.unmountable(e, f) : null;
            if (refusal != null) {
                read.put(e, ImageInspection.unreadable(f, refusal[0], refusal[1]));
                continue;
            }
            ImageFileSystem fs = open(e, f);
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
    private static ImageFileSystem open(ImageEntry e, ImageFormat f) {
        if (f == ImageFormat.DIRECTORY && (e.type() == ImageType.DIRECTORY || e.type() == ImageType.SUBVOLUME)) {
            return new DirectoryImageFs(e.source());
        }
        if (f != ImageFormat.SQUASHFS || e.type() != ImageType.RAW) {
            return null;
        }
        SquashfsImage image;
        try {
            image = SquashfsImage.open(e.source());
        } catch (OperationFailedException ex) {
            return null;
        }
        if (!kernelMounts(image)) {
            image.close();
            return null;
        }
        return SquashfsImageFs.of(image);
    }

    /**
     * Whether the kernel would mount it through a loop device: a compressor it has, and a file system that ends
     * within the device (a file whose size is not a multiple of 512 loses its tail; {@code mksquashfs -nopad}).
     */
    static boolean kernelMounts(SquashfsImage image) {
        try {
            long device = Files.size(image.path()) / SECTOR * SECTOR;
            return image.compression().kernelMountable() && image.superblock().bytesUsed() <= device;
        } catch (IOException e) {
            return false;
        }
    }
}
