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
 *
 * <p>The providers registered on the class path ({@link ServiceLoader}) are looked up at the first source that is
 * not a directory, and only such sources are offered to them: a directory is read as a tree, whatever its name. The
 * look-up reads the jar's whole index (4,000 entries), which a build of a directory needs for nothing else before
 * mksquashfs starts (issue 17).
 */
public final class SourceFactory {
    private final List<ImageSourceProvider> given;
    private final boolean discover;
    private List<ImageSourceProvider> discovered;

    public SourceFactory(List<ImageSourceProvider> providers) {
        this(providers, false);
    }

    private SourceFactory(List<ImageSourceProvider> providers, boolean discover) {
        this.given = List.copyOf(providers);
        this.discover = discover;
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
        return new SourceFactory(List.of(new ContainerImageProvider(containers)), true);
    }

    /** Every provider: those given, then those registered on the class path (looked up now). */
    public List<ImageSourceProvider> providers() {
        List<ImageSourceProvider> all = new ArrayList<>(given);
        all.addAll(discovered());
        return List.copyOf(all);
    }

    /** The provider that handles {@code path}, if any (a registered one only for a path that is no directory). */
    public Optional<ImageSourceProvider> providerFor(Path path) {
        for (ImageSourceProvider p : given) {
            if (p.handles(path)) {
                return Optional.of(p);
            }
        }
        if (discover && !Files.isDirectory(path)) {
            for (ImageSourceProvider p : discovered()) {
                if (p.handles(path)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private List<ImageSourceProvider> discovered() {
        if (!discover) {
            return List.of();
        }
        if (discovered == null) {
            List<ImageSourceProvider> found = new ArrayList<>();
            ServiceLoader.load(ImageSourceProvider.class, SourceFactory.class.getClassLoader()).forEach(found::add);
            discovered = List.copyOf(found);
        }
        return discovered;
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
