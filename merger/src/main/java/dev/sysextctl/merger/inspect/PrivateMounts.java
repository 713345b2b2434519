package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.MountPolicy;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.merger.mount.MountStep;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.StepResult;
import dev.sysextctl.merger.mount.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mounts each image read-only in a private mount namespace of its own that nothing leaves (needs root), for
 * reading it once ({@code enable}'s checks); closing the image ends the namespace. A mount that fails is an
 * {@link OperationFailedException}: the caller was about to link the image.
 */
public final class PrivateMounts implements MountPolicy {
    private final Mounter mounter;

    public PrivateMounts(Mounter mounter) {
        this.mounter = mounter;
    }

    @Override
    public List<Mount> mount(List<Mountable> images) throws OperationFailedException {
        List<Mount> out = new ArrayList<>(images.size());
        for (Mountable m : images) {
            out.add(mount(m.request().path(), m.request().type(), m.format()));
        }
        return out;
    }

    private Mounted mount(Path source, ImageType type, ImageFormat format) throws OperationFailedException {
        NamespaceSession s = NamespaceSession.open(mounter, Mounter.Propagation.SLAVE);
        try {
            String target = Workspace.SCRATCH + "/image";
            Files.createDirectories(s.view(target));
            List<String> argv = type == ImageType.RAW
                    ? List.of("mount", "-t", format.mountType().orElseThrow(() -> new OperationFailedException(
                            source + " is a " + format.jsonName() + " file, not a mountable image")), "-o", "ro,loop",
                            source.toString(), target)
                    : List.of("mount", "-o", "ro", source.toString(), target);
            StepResult r = s.run(new MountStep("image", argv));
            if (!r.succeeded()) {
                throw new OperationFailedException("cannot mount " + source + ": " + r.message()
                        + "; check that it is a valid image");
            }
            return new Mounted(s.view(target), s);
        } catch (IOException e) {
            s.close();
            throw new OperationFailedException("cannot prepare a mount point: " + e.getMessage());
        } catch (OperationFailedException e) {
            s.close();
            throw e;
        }
    }
}
