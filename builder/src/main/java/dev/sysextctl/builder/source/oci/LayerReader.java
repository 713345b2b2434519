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

    /**
     * Reads the layer's tar entries.
     *
     * @param verify check the blob's digest and the diff_id (one digest for an uncompressed layer, whose blob is the
     *     tar); without it the bytes are only parsed (a reader that checks them later, {@link #verify})
     */
    static void read(ContainerImage image, Layer layer, boolean verify, EntryHandler handler)
            throws SysextctlException {
        if (layer.compression() == ArchiveCompression.ZSTD) {
            ZstdLibrary.ensureLoaded();
        }
        boolean plainLayer = layer.compression() == ArchiveCompression.NONE;
        if (plainLayer && layer.digest() != null && !layer.digest().equals(layer.diffId())) {
            throw new OperationFailedException(image.reference() + ": " + layer.describe() + " is an uncompressed "
                    + "layer whose digest and diff_id differ; the image is corrupt: save or copy it again");
        }
        try (InputStream raw = image.files().open(layer.file())) {
            DigestingInputStream blob = new DigestingInputStream(raw, verify && !plainLayer ? layer.digest() : null,
                    layer.describe());
            DigestingInputStream plain = null;
            try {
                plain = new DigestingInputStream(layer.compression().decompressChecked(blob),
                        verify ? layer.diffId() : null, layer.describe() + (plainLayer ? ", an uncompressed tar"
                        : " uncompressed") + " (diff_id " + layer.diffId() + ")" + (plainLayer ? "," : ""));
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
                } else if (plain != null && plain.drainQuietly() != null) {
                    reason = plain.mismatch();
                }
                throw failure(image, layer, reason);
            }
        } catch (IOException e) {
            throw failure(image, layer, e);
        }
    }

    /** Checks the layer's digests without parsing it (a layer whose entries were read unchecked). */
    static void verify(ContainerImage image, Layer layer) throws SysextctlException {
        if (layer.digest() == null && layer.compression() != ArchiveCompression.NONE) {
            read(image, layer, true, (ordinal, te, content) -> { });
            return;
        }
        try (InputStream raw = image.files().open(layer.file());
                DigestingInputStream blob = new DigestingInputStream(raw, layer.digest() != null ? layer.digest()
                        : layer.diffId(), layer.describe())) {
            blob.transferTo(OutputStream.nullOutputStream());
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
