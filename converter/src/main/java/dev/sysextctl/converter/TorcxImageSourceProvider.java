package dev.sysextctl.converter;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.source.ImageSourceProvider;
import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.archive.TorcxArchiveName;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Lets {@code sysextctl build} take torcx image archives as sources (found by the builder's
 * {@link java.util.ServiceLoader}): {@code *.torcx.tgz}, {@code *.torcx.squashfs}, and {@code *.torcx.tar.gz}
 * (not a name torcx itself read, accepted as a gzip'd tar). Name and version default to the archive's
 * {@code NAME:REFERENCE}. The staging directory of every opened archive is removed when the JVM exits, since
 * the builder does not close its sources.
 */
public final class TorcxImageSourceProvider implements ImageSourceProvider {
    private static final String TAR_GZ = ".torcx.tar.gz";
    private static final List<TorcxArchiveSource> OPENED = new ArrayList<>();
    private static boolean hooked;

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
        TorcxArchiveSource source = TorcxArchiveSource.open(path, options, NativeTools.system().unsquashfs());
        register(source);
        return source;
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

    private static synchronized void register(TorcxArchiveSource source) {
        OPENED.add(source);
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(TorcxImageSourceProvider::closeAll,
                    "sysextctl-torcx-cleanup"));
        }
    }

    private static synchronized void closeAll() {
        OPENED.forEach(TorcxArchiveSource::close);
        OPENED.clear();
    }
}
