package dev.sysextctl.converter;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.source.ImageSourceProvider;
import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.archive.TorcxArchiveName;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Lets {@code sysextctl build} take torcx image archives as sources (found by the builder's
 * {@link java.util.ServiceLoader}): {@code *.torcx.tgz}, {@code *.torcx.squashfs}, and {@code *.torcx.tar.gz}
 * (not a name torcx itself read, accepted as a gzip'd tar). Name and version default to the archive's
 * {@code NAME:REFERENCE}; the opened source supplies the converted image's extension-release fields
 * ({@code ARCHITECTURE} of its binaries, {@code EXTENSION_RELOAD_MANAGER=1}) as defaults. {@code build} closes
 * it, which removes its staging directory.
 */
public final class TorcxImageSourceProvider implements ImageSourceProvider {
    private static final String TAR_GZ = ".torcx.tar.gz";

    @Override
    public String kind() {
        return "torcx image archive";
    }

    @Override
    public boolean handles(Path path) {
        return TorcxArchiveSource.isTorcxArchive(path) || fileName(path).endsWith(TAR_GZ);
    }

    @Override
    public ImageSource open(Path path) throws SysextctlException {
        TorcxConversionOptions options = TorcxConversionOptions.defaults();
        Optional<TorcxArchiveName> n = name(path);
        if (n.isPresent()) {
            options = options.withImage(n.get().name(), n.get().reference(), n.get().format());
        }
        return TorcxArchiveSource.open(path, options, NativeTools.system().unsquashfs());
    }

    @Override
    public Optional<String> defaultName(Path path) {
        return name(path).map(TorcxArchiveName::name);
    }

    @Override
    public Optional<String> defaultVersion(Path path) {
        return name(path).map(TorcxArchiveName::reference);
    }

    private static Optional<TorcxArchiveName> name(Path path) {
        String f = fileName(path);
        if (f.endsWith(TAR_GZ)) {
            return TorcxArchiveName.parse(f.substring(0, f.length() - TAR_GZ.length()) + ".torcx.tgz")
                    .map(n -> new TorcxArchiveName(n.name(), n.reference(), TorcxArchiveFormat.TGZ));
        }
        return TorcxArchiveName.parse(f);
    }

    private static String fileName(Path path) {
        return path.getFileName() == null ? "" : path.getFileName().toString();
    }
}
