package dev.sysextctl.converter.migration;

import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.core.error.SysextctlException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a converted torcx image to a sysext image file: the seam between the converter and the builder (which
 * streams the source into mksquashfs, lints it and writes the extension-release the source asks for). The
 * writer must write to a temporary name and rename into place.
 */
@FunctionalInterface
public interface ImageWriter {
    WrittenImage write(TorcxArchiveSource source, Path output) throws SysextctlException, IOException;

    /** The file name the image of {@code source} gets in the output directory ({@code NAME-REF-ARCH.raw}). */
    default String fileName(TorcxArchiveSource source) {
        return source.defaultFileName();
    }
}
