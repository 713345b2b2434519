package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.mount.MountStep;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.StepResult;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads images the way systemd-sysext does: mounts each one read-only in the {@link NamespaceSession} (raw
 * images through a loop device, directories and block devices as they are), then reads the mounted trees
 * through {@code /proc/PID/root}. The mounts stay for the session's lifetime, ready to become overlay layers.
 */
public final class SessionImageReader implements ImageReader {
    private final NamespaceSession session;
    private final Node node;
    private final Function<ImageEntry, String> mountPath;
    private final Map<ImageEntry, String> mounted = new IdentityHashMap<>();

    /** @param mountPath where each image is mounted in the namespace */
    public SessionImageReader(NamespaceSession session, Node node, Function<ImageEntry, String> mountPath) {
        this.session = session;
        this.node = node;
        this.mountPath = mountPath;
    }

    /** Where {@code e} is mounted in the namespace, if it was. */
    public String mountPoint(ImageEntry e) {
        return mounted.get(e);
    }

    @Override
    public Map<ImageEntry, ImageInspection> inspect(List<ImageEntry> entries) throws OperationFailedException {
        Map<ImageEntry, ImageInspection> out = new IdentityHashMap<>();
        Map<String, ImageEntry> byStep = new LinkedHashMap<>();
        Map<ImageEntry, ImageFormat> formats = new IdentityHashMap<>();
        List<MountStep> steps = new ArrayList<>();
        for (ImageEntry e : entries) {
            ImageFormat f = ImageFormats.detect(e);
            formats.put(e, f);
            String[] refusal = e.type() == ImageType.RAW ? ImageFormats.unmountable(e, f) : null;
            if (refusal != null) {
                out.put(e, ImageInspection.unreadable(f, refusal[0], refusal[1]));
                continue;
            }
            String target = mountPath.apply(e);
            try {
                Files.createDirectories(session.view(target),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (IOException ex) {
                throw new OperationFailedException("cannot create " + target + " in the mount namespace: "
                        + ex.getMessage() + "; check that sysextctl runs as root");
            }
            String id = "m" + steps.size();
            byStep.put(id, e);
            steps.add(mountStep(id, e, f, target));
        }
        Map<String, StepResult> results = session.run(steps, NamespaceSession.MOUNT_WIDTH);
        for (Map.Entry<String, ImageEntry> s : byStep.entrySet()) {
            ImageEntry e = s.getValue();
            StepResult r = results.get(s.getKey());
            ImageFormat f = formats.get(e);
            if (!r.succeeded()) {
                out.put(e, ImageInspection.unreadable(f, "cannot be mounted: " + r.message(),
                        e.type() == ImageType.DIRECTORY ? null
                                : "Failed to read metadata for image " + e.name() + ": " + r.message()));
                continue;
            }
            String target = mountPath.apply(e);
            mounted.put(e, target);
            try (DirectoryImageFs fs = new DirectoryImageFs(session.view(target))) {
                out.put(e, ImageInspector.inspect(fs, e.name(), e.type(), f, node.systemdVersion(),
                        node.hierarchies()));
            } catch (OperationFailedException ex) {
                out.put(e, ImageInspection.unreadable(f, "cannot be read once mounted: " + ex.getMessage(), null));
            }
        }
        return out;
    }

    static MountStep mountStep(String id, ImageEntry e, ImageFormat f, String target) {
        String src = e.source().toString();
        return switch (e.type()) {
            case DIRECTORY, SUBVOLUME -> MountStep.of(id, "mount", "--bind", "-o", "ro", src, target);
            case BLOCK -> ImageFormats.fsType(f)
                    .map(t -> MountStep.of(id, "mount", "-t", t, "-o", "ro", src, target))
                    .orElse(MountStep.of(id, "mount", "-o", "ro", src, target));
            case RAW -> MountStep.of(id, "mount", "-t", ImageFormats.fsType(f).orElseThrow(), "-o", "ro,loop",
                    src, target);
        };
    }
}
