package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.TgzMembers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bytes of a regular file in the converted image: a staged blob, or bytes the converter produced. */
public sealed interface EntryContent {
    InputStream open() throws IOException;

    long size() throws IOException;

    /** A file as it was staged from the archive (possibly patched in place, e.g. an ELF runpath). */
    record Blob(Path path) implements EntryContent {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public long size() throws IOException {
            return Files.size(path);
        }
    }

    /**
     * A file the conversion does not change, read from the {@code .torcx.tgz} itself (its {@code index}-th entry)
     * when the image is written: {@code TorcxArchiveSource.scan} streams all of them in one pass in archive order;
     * {@link #open} reads one on its own.
     */
    record Member(Path archive, int index, long size) implements EntryContent {
        @Override
        public InputStream open() throws IOException {
            return TgzMembers.open(archive, index);
        }
    }

    /** Content the converter wrote: a rewritten unit, an {@code Upholds=} drop-in. */
    record Bytes(byte[] bytes) implements EntryContent {
        public Bytes {
            bytes = bytes.clone();
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && java.util.Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bytes[" + bytes.length + "]";
        }
    }
}
