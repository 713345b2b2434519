package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.merger.mount.MountStep;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.StepResult;
import dev.sysextctl.merger.mount.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One image opened for reading: directories as they are, squashfs through unsquashfs, other formats mounted
 * in a private namespace that nothing leaves (needs root).
 */
public final class OpenedImage implements AutoCloseable {
    private final ImageFileSystem fs;
    private final NamespaceSession session;

    private OpenedImage(ImageFileSystem fs, NamespaceSession session) {
        this.fs = fs;
        this.session = session;
    }

    public static OpenedImage open(Path source, ImageType type, ImageFormat format, Mounter mounter,
            Unsquashfs unsquashfs) throws OperationFailedException {
        if (format == ImageFormat.DIRECTORY) {
            return new OpenedImage(new DirectoryImageFs(source), null);
        }
        if (format == ImageFormat.SQUASHFS && type == ImageType.RAW) {
            return new OpenedImage(new SquashfsImageFs(source, unsquashfs), null);
        }
        NamespaceSession s = NamespaceSession.open(mounter, Mounter.Propagation.SLAVE);
        try {
            String target = Workspace.SCRATCH + "/image";
            Files.createDirectories(s.view(target));
            List<String> argv = type == ImageType.RAW
                    ? List.of("mount", "-t", ImageFormats.fsType(format).orElseThrow(() -> new OperationFailedException(
                            source + " is a " + format.jsonName() + " file, not a mountable image")), "-o", "ro,loop",
                            source.toString(), target)
                    : List.of("mount", "-o", "ro", source.toString(), target);
            StepResult r = s.run(new MountStep("image", argv));
            if (!r.succeeded()) {
                throw new OperationFailedException("cannot mount " + source + ": " + r.message()
                        + "; check that it is a valid image");
            }
            return new OpenedImage(new DirectoryImageFs(s.view(target)), s);
        } catch (IOException e) {
            s.close();
            throw new OperationFailedException("cannot prepare a mount point: " + e.getMessage());
        } catch (OperationFailedException e) {
            s.close();
            throw e;
        }
    }

    public ImageFileSystem fs() {
        return fs;
    }

    @Override
    public void close() {
        fs.close();
        if (session != null) {
            session.close();
        }
    }
}
