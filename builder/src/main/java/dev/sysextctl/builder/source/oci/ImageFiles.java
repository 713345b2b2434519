package dev.sysextctl.builder.source.oci;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * The files of a container image as it was given: an OCI layout directory, or the members of a tar archive (an
 * {@code oci-archive} or {@code docker save} output) read in place, by offset, without extracting them.
 * Names are relative ({@code index.json}, {@code blobs/sha256/HEX}, {@code HEX/layer.tar}).
 */
abstract class ImageFiles {
    /** The file's size; empty when there is no such regular file. */
    abstract OptionalLong size(String name) throws IOException;

    /** The file's bytes (buffered). */
    abstract InputStream open(String name) throws IOException;

    boolean exists(String name) throws IOException {
        return size(name).isPresent();
    }

    /** An OCI image layout directory: only regular files inside it, never followed out through a link. */
    static ImageFiles directory(Path root) {
        return new ImageFiles() {
            private Optional<Path> file(String name) {
                Path p = root;
                for (String c : name.split("/")) {
                    if (c.isEmpty() || c.equals(".") || c.equals("..")) {
                        return Optional.empty();
                    }
                    p = p.resolve(c);
                    if (Files.isSymbolicLink(p)) {
                        return Optional.empty();
                    }
                }
                return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
            }

            @Override
            OptionalLong size(String name) throws IOException {
                Optional<Path> p = file(name);
                return p.isPresent() ? OptionalLong.of(Files.size(p.get())) : OptionalLong.empty();
            }

            @Override
            InputStream open(String name) throws IOException {
                Path p = file(name).orElseThrow(() -> new java.nio.file.NoSuchFileException(root + "/" + name));
                return new BufferedInputStream(Files.newInputStream(p), 1 << 16);
            }
        };
    }

    /** The regular members of an uncompressed tar archive, by normalised name (the last of a repeated name wins). */
    static ImageFiles archive(Path archive) throws IOException {
        Map<String, long[]> members = new HashMap<>();
        try (TarFile tar = new TarFile(archive)) {
            for (TarArchiveEntry e : tar.getEntries()) {
                if (e.isFile() && !e.isLink() && !e.isSparse()) {
                    String name = normalise(e.getName());
                    if (name != null) {
                        members.put(name, new long[] {e.getDataOffset(), e.getSize()});
                    }
                }
            }
        }
        return new ImageFiles() {
            @Override
            OptionalLong size(String name) {
                long[] m = members.get(normalise(name));
                return m == null ? OptionalLong.empty() : OptionalLong.of(m[1]);
            }

            @Override
            InputStream open(String name) throws IOException {
                long[] m = members.get(normalise(name));
                if (m == null) {
                    throw new java.nio.file.NoSuchFileException(archive + ":" + name);
                }
                return new BufferedInputStream(new Slice(FileChannel.open(archive, StandardOpenOption.READ), m[0],
                        m[1]), 1 << 16);
            }
        };
    }

    private static String normalise(String name) {
        return dev.sysextctl.core.tree.ImagePaths.normalize(name).filter(n -> !n.isEmpty()).orElse(null);
    }

    /** {@code length} bytes of a file from {@code start}, read with positional reads. */
    private static final class Slice extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        Slice(FileChannel channel, long start, long length) {
            this.channel = channel;
            this.position = start;
            this.end = start + length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int want = (int) Math.min(len, end - position);
            int n = channel.read(ByteBuffer.wrap(b, off, want), position);
            if (n < 0) {
                throw new java.io.EOFException("the archive ends inside a member (truncated)");
            }
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long s = Math.max(0, Math.min(n, end - position));
            position += s;
            return s;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - position);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
