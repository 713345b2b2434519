package dev.sysextctl.builder.source;

import dev.sysextctl.builder.source.oci.ContainerImageProvider;
import dev.sysextctl.builder.source.oci.ContainerSelection;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Maps what the user gave as {@code SOURCE} to an {@link ImageSource}: a directory, a tar archive (any
 * compression), a container image ({@code docker-archive:FILE}, {@code oci-archive:FILE}, {@code oci:DIR[:TAG]}), or
 * whatever a registered {@link ImageSourceProvider} handles (torcx image archives: the
 * converter provides them). Torcx archives without a provider are refused with a clear message.
 */
public final class SourceFactory {
    private final List<ImageSourceProvider> providers;

    public SourceFactory(List<ImageSourceProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /**
     * Directories, tar archives, container images ({@code docker-archive:}, {@code oci-archive:}, {@code oci:}, the
     * whole image) and every provider on the class path ({@link ServiceLoader}).
     */
    public static SourceFactory standard() {
        return standard(ContainerSelection.ALL);
    }

    /** As {@link #standard()}, with what of a container image to keep ({@code --base}, {@code --layers}, ...). */
    public static SourceFactory standard(ContainerSelection containers) {
        List<ImageSourceProvider> found = new ArrayList<>();
        found.add(new ContainerImageProvider(containers));
        ServiceLoader.load(ImageSourceProvider.class, SourceFactory.class.getClassLoader()).forEach(found::add);
        return new SourceFactory(found);
    }

    public List<ImageSourceProvider> providers() {
        return providers;
    }

    /** The provider that handles {@code path}, if any. */
    public Optional<ImageSourceProvider> providerFor(Path path) {
        return providers.stream().filter(p -> p.handles(path)).findFirst();
    }

    public ImageSource open(Path path) throws SysextctlException {
        Optional<ImageSourceProvider> provider = providerFor(path);
        if (provider.isPresent()) {
            return provider.get().open(path);
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
            throw new UsageException("source " + path + " does not exist; give an existing directory or tar archive");
        }
        if (isTorcxArchive(path)) {
            throw new UsageException(path + " is a torcx image archive and no torcx converter is loaded; "
                    + "use 'sysextctl convert torcx-image', or unpack it and build from the directory");
        }
        if (Files.isDirectory(path)) {
            return new DirectorySource(path);
        }
        if (!Files.isRegularFile(path)) {
            // a FIFO, socket or device would be read without end (or block forever)
            throw new UsageException("source " + path + " is neither a directory nor a regular file; give a directory "
                    + "or a tar archive");
        }
        return TarSource.open(path);
    }

    /** {@code *.torcx.tgz}, {@code *.torcx.tar.gz}, {@code *.torcx.squashfs}. */
    public static boolean isTorcxArchive(Path path) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString();
        return n.endsWith(".torcx.tgz") || n.endsWith(".torcx.tar.gz") || n.endsWith(".torcx.squashfs");
    }
}
