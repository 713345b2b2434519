package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.merger.discovery.ImageEntry;
import java.io.IOException;
import java.util.Optional;

/** What an image entry holds and how the native engine mounts it. */
public final class ImageFormats {
    private ImageFormats() {
    }

    public static ImageFormat detect(ImageEntry e) {
        if (e.type() == ImageType.DIRECTORY || e.type() == ImageType.SUBVOLUME) {
            return ImageFormat.DIRECTORY;
        }
        try {
            return ImageFormat.detect(e.source());
        } catch (IOException ex) {
            return ImageFormat.UNKNOWN;
        }
    }

    /** The kernel file-system type to mount a raw image of this format with, or empty when it cannot be. */
    public static Optional<String> fsType(ImageFormat f) {
        return switch (f) {
            case SQUASHFS -> Optional.of("squashfs");
            case EROFS -> Optional.of("erofs");
            case EXT4 -> Optional.of("ext4");
            case BTRFS -> Optional.of("btrfs");
            default -> Optional.empty();
        };
    }

    /**
     * Why the native engine cannot mount an image of this format (null when it can), and the error systemd-sysext
     * 252 aborts with for it (null when it does not abort).
     */
    public static String[] unmountable(ImageEntry e, ImageFormat f) {
        return switch (f) {
            case EMPTY -> new String[] {"an empty file, not an image; rebuild it or remove the entry",
                ImageInspector.undissectable(e.name())};
            case UNKNOWN -> new String[] {"not a squashfs, erofs or file-system image (unrecognised content); "
                    + "rebuild it or remove the entry", ImageInspector.undissectable(e.name())};
            case GPT -> new String[] {"a GPT disk image (DDI): the native engine does not dissect partitioned "
                    + "images yet; use --engine systemd for it, or build a plain squashfs/erofs image", null};
            default -> null;
        };
    }
}
