package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.node.Node;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads images without root and without mounting: directories as they are, squashfs through unsquashfs.
 * Other formats are reported as not read (they need root, to be mounted).
 */
public final class UnprivilegedImageReader implements ImageReader {
    private final Node node;
    private final Unsquashfs unsquashfs;

    public UnprivilegedImageReader(Node node, Unsquashfs unsquashfs) {
        this.node = node;
        this.unsquashfs = unsquashfs;
    }

    @Override
    public Map<ImageEntry, ImageInspection> inspect(List<ImageEntry> entries) {
        Map<ImageEntry, ImageInspection> out = new IdentityHashMap<>();
        for (ImageEntry e : entries) {
            ImageFormat f = ImageFormats.detect(e);
            String[] refusal = e.type() == ImageType.RAW ? ImageFormats.unmountable(e, f) : null;
            if (refusal != null) {
                out.put(e, ImageInspection.unreadable(f, refusal[0], refusal[1]));
                continue;
            }
            ImageFileSystem fs = switch (f) {
                case DIRECTORY -> new DirectoryImageFs(e.source());
                case SQUASHFS -> new SquashfsImageFs(e.source(), unsquashfs);
                default -> null;
            };
            if (fs == null) {
                out.put(e, ImageInspection.notRead(f, "a " + f.jsonName() + " " + e.type().systemdName()
                        + " image: reading it needs root (it is mounted to be read); run as root"));
                continue;
            }
            try (fs) {
                out.put(e, ImageInspector.inspect(fs, e.name(), e.type(), f, node.systemdVersion(),
                        node.hierarchies()));
            } catch (OperationFailedException ex) {
                out.put(e, ImageInspection.unreadable(f, "cannot be read: " + ex.getMessage(),
                        e.type() == ImageType.DIRECTORY ? null : ImageInspector.undissectable(e.name())));
            }
        }
        return out;
    }
}
