package dev.sysextctl.builder.source;

import dev.sysextctl.core.error.SysextctlException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens source files that are not plain directories or tar archives, e.g. torcx image archives
 * ({@code *.torcx.tgz}, {@code *.torcx.squashfs}) converted on the fly. Providers are found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.sysextctl.builder.source.ImageSourceProvider}
 * file in the providing module) or passed to {@link SourceFactory} directly.
 */
public interface ImageSourceProvider {
    /** What this provider reads, for messages ({@code torcx image archive}). */
    String kind();

    /** Whether this provider reads {@code path} (decided from its name or first bytes, cheaply). */
    boolean handles(Path path);

    /**
     * Opens {@code path}. The source may carry default extension-release fields
     * ({@link ImageSource#releaseDefaults()}); the caller closes it when done.
     */
    ImageSource open(Path path) throws SysextctlException;

    /** The extension name the source implies when {@code --name} is not given (a torcx archive's name). */
    default Optional<String> defaultName(Path path) {
        return Optional.empty();
    }

    /** The extension version the source implies when {@code --version} is not given. */
    default Optional<String> defaultVersion(Path path) {
        return Optional.empty();
    }
}
