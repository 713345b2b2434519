package dev.sysextctl.converter.archive;

import dev.sysextctl.core.error.SysextctlException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedSet;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the content of regular files straight from a {@code .torcx.tgz}, by their ordinal among the archive's
 * entries (as {@link ArchiveStager} counted them), so the conversion needs no copy of what it does not change.
 */
public final class TgzMembers {
    /** Receives one member's content (readable during the call only). */
    @FunctionalInterface
    public interface MemberVisitor {
        void visit(int member, InputStream content) throws IOException, SysextctlException;
    }

    private TgzMembers() {
    }

    static TarArchiveInputStream open(Path archive) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        try {
            GzipCompressorInputStream gz = GzipCompressorInputStream.builder().setInputStream(raw)
                    .setDecompressConcatenated(true).get();
            return new TarArchiveInputStream(gz);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Visits the members {@code wanted} in archive order, in one pass over the archive. */
    public static void forEach(Path archive, SortedSet<Integer> wanted, MemberVisitor visitor)
            throws IOException, SysextctlException {
        if (wanted.isEmpty()) {
            return;
        }
        int last = wanted.last();
        try (TarArchiveInputStream tar = open(archive)) {
            int count = 0;
            while (count < last && tar.getNextEntry() != null) {
                count++;
                if (wanted.contains(count)) {
                    visitor.visit(count, new KeepOpen(tar));
                }
            }
            if (count < last) {
                throw new IOException(archive.getFileName() + " changed while it was converted: entry " + last
                        + " is gone");
            }
        }
    }

    /** The content of member {@code member}; closing the stream closes the archive. */
    public static InputStream open(Path archive, int member) throws IOException {
        TarArchiveInputStream tar = open(archive);
        try {
            for (int count = 0; count < member; count++) {
                if (tar.getNextEntry() == null) {
                    throw new IOException(archive.getFileName() + " changed while it was converted: entry " + member
                            + " is gone");
                }
            }
            return tar;
        } catch (IOException | RuntimeException e) {
            tar.close();
            throw e;
        }
    }

    /** The tar stream for one visit: the visitor cannot close it. */
    private static final class KeepOpen extends FilterInputStream {
        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the pass goes on with the next member
        }
    }
}
