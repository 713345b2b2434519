package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.NativeTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens an image file or directory for reading, whatever its format. */
public final class Images {
    private Images() {
    }

    public static ImageFileSystem open(Path image, NativeTools tools) throws OperationFailedException, UsageException {
        if (!Files.exists(image)) {
            throw new UsageException(image + " does not exist; give the path of an image file or directory");
        }
        ImageFormat format;
        try {
            format = ImageFormat.detect(image);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + image + ": " + e.getMessage()
                    + "; check the permissions");
        }
        return switch (format) {
            case DIRECTORY -> new DirectoryImageFs(image);
            case SQUASHFS -> new SquashfsImageFs(image, tools.unsquashfs());
            case EROFS -> new ErofsImageFs(image);
            case EMPTY -> throw new OperationFailedException(image + " is an empty file, not an image; "
                    + "rebuild it (systemd-sysext fails the whole merge on it)");
            case GPT -> dev.sysextctl.core.image.ddi.DdiImageFs.open(image);
            case UNKNOWN -> throw new OperationFailedException(image + " is not an image: no squashfs, erofs or "
                    + "GPT signature; give a file made by 'sysextctl build' (or mksquashfs, mkfs.erofs) or a directory");
            default -> throw new OperationFailedException(image + " is a " + format.jsonName()
                    + " image, which sysextctl cannot read without mounting; use squashfs or erofs");
        };
    }
}
