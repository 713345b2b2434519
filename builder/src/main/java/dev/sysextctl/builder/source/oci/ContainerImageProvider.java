package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.source.ImageSourceProvider;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import java.nio.file.Path;

/**
 * Container images as build sources: {@code docker-archive:FILE}, {@code oci-archive:FILE}, {@code oci:DIR[:TAG]},
 * each with an optional {@code @sha256:DIGEST}, read as {@link ContainerImageSource} with the build's
 * {@link ContainerSelection}.
 */
public final class ContainerImageProvider implements ImageSourceProvider {
    private final ContainerSelection selection;

    public ContainerImageProvider(ContainerSelection selection) {
        this.selection = selection;
    }

    @Override
    public String kind() {
        return "container image";
    }

    @Override
    public boolean handles(Path path) {
        return ImageReference.isReference(path.toString());
    }

    @Override
    public ImageSource open(Path path) throws SysextctlException {
        ImageReference ref = ImageReference.parse(path.toString()).orElseThrow(() -> new UsageException(path
                + " is not a container image reference; write docker-archive:FILE, oci-archive:FILE or oci:DIR[:TAG]"));
        return ContainerImageSource.open(ref, selection);
    }
}
