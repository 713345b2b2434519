package dev.sysextctl.converter.archive;

import dev.sysextctl.builder.source.TarHeaderGuard;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads the content of regular files straight from a {@code .torcx.tgz}, by their ordinal among the archive's
 * entries (as {@link ArchiveStager} counted them), so the conversion needs no copy of what it does not change.
 */
public final class TgzMembers {
    private TgzMembers() {
    }

    static TarArchiveInputStream open(Path archive) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        try {
            GzipCompressorInputStream gz = GzipCompressorInputStream.builder().setInputStream(raw)
                    .setDecompressConcatenated(true).get();
            return new TarArchiveInputStream(new TarHeaderGuard(gz));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
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

    /**
     * Members in any order through one open archive: moving forward costs only the bytes in between; going back
     * to an earlier member reopens the archive.
     */
    public static final class Cursor implements java.io.Closeable {
        private final Path archive;
        private TarArchiveInputStream tar;
        private int position;

        public Cursor(Path archive) {
            this.archive = archive;
        }

        /** The content of member {@code member}, readable until the next call (the cursor keeps it open). */
        public InputStream open(int member) throws IOException {
            if (tar == null || member <= position) {
                close();
                tar = TgzMembers.open(archive);
                position = 0;
            }
            while (position < member) {
                if (tar.getNextEntry() == null) {
                    throw new IOException(archive.getFileName() + " changed while it was converted: entry " + member
                            + " is gone");
                }
                position++;
            }
            return new KeepOpen(tar);
        }

        @Override
        public void close() throws IOException {
            if (tar != null) {
                tar.close();
                tar = null;
            }
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
