package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.source.ArchiveCompression;
import dev.sysextctl.builder.source.TarHeaderGuard;
import dev.sysextctl.builder.source.TarSource;
import dev.sysextctl.core.codec.ZstdLibrary;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Streams one layer of a container image: its blob decompressed as it is read, the blob's digest and the
 * uncompressed tar's digest ({@code diff_id}) checked when it ends, every tar header through the same guard as a tar
 * archive source ({@link TarHeaderGuard}). Nothing is written anywhere.
 */
final class LayerReader {
    /** Receives the layer's tar entries in order; {@code ordinal} counts every entry, whiteouts included. */
    @FunctionalInterface
    interface EntryHandler {
        void entry(long ordinal, TarArchiveEntry entry, InputStream content) throws IOException, SysextctlException;
    }

    private LayerReader() {
    }

    static void read(ContainerImage image, Layer layer, EntryHandler handler) throws SysextctlException {
        if (layer.compression() == ArchiveCompression.ZSTD) {
            ZstdLibrary.ensureLoaded();
        }
        try (InputStream raw = image.files().open(layer.file())) {
            DigestingInputStream blob = new DigestingInputStream(raw, layer.digest(), layer.describe());
            DigestingInputStream plain = null;
            try {
                plain = new DigestingInputStream(layer.compression().decompressChecked(blob), layer.diffId(),
                        layer.describe() + " uncompressed (diff_id " + layer.diffId() + ")");
                TarArchiveInputStream tar = new TarArchiveInputStream(new TarHeaderGuard(plain),
                        StandardCharsets.UTF_8.name());
                long ordinal = 0;
                TarArchiveEntry te;
                while ((te = tar.getNextEntry()) != null) {
                    handler.entry(ordinal++, te, tar);
                }
                plain.transferTo(OutputStream.nullOutputStream()); // the rest: padding, the compression's checks
                blob.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // a blob that does not parse is most often a corrupt one: say so when its digest tells
                IOException reason = e;
                if (blob.drainQuietly() != null) {
                    reason = blob.mismatch();
                } else if (plain != null && plain.mismatch() != null) {
                    reason = plain.mismatch();
                }
                throw failure(image, layer, reason);
            }
        } catch (IOException e) {
            throw failure(image, layer, e);
        }
    }

    static SysextctlException failure(ContainerImage image, Layer layer, IOException e) {
        if (e instanceof DigestingInputStream.DigestMismatchException) {
            return new OperationFailedException(image.reference() + ": " + e.getMessage() + "; the image is corrupt: "
                    + "save or copy it again");
        }
        if (e instanceof java.nio.file.NoSuchFileException || e instanceof java.nio.file.AccessDeniedException) {
            return new OperationFailedException("cannot read " + layer.describe() + " of " + image.reference() + ": "
                    + ImageLayoutReader.describe(e) + "; check that the image is complete and readable");
        }
        return TarSource.failure(Path.of(image.reference() + ", " + layer.describe()), e);
    }
}
