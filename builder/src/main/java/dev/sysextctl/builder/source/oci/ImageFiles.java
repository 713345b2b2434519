package dev.sysextctl.builder.source.oci;

import dev.sysextctl.builder.source.TarHeaderGuard;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.tree.ImagePaths;
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

    /**
     * The members of an uncompressed tar archive, by normalised name. The archive is walked once through the same
     * header checks as every tar sysextctl reads ({@link TarHeaderGuard#list}: checksums, name and PAX limits, entry
     * types, truncation), without reading the members' data. An archive that names a member absolutely or with
     * {@code ..}, has a link leading out of it, or names one member twice is refused: no tool writes such an image.
     * A link inside the archive is followed to the regular member it names (a few hops at most).
     */
    static ImageFiles archive(Path archive) throws IOException {
        Map<String, TarHeaderGuard.Member> members = new HashMap<>();
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
            TarHeaderGuard.list(channel, m -> {
                String name = ImagePaths.normalize(m.name()).orElse(null);
                if (name == null) {
                    throw unsafe(m, "is named " + quoted(m.name()) + ", " + (m.name().startsWith("/")
                            ? "an absolute path" : "a path with '..'") + ", which no image archive holds");
                }
                if (name.isEmpty()) {
                    return; // the archive's own top directory ("./")
                }
                if (m.isLink() && linkTarget(name, m) == null) {
                    throw unsafe(m, "is a link from " + name + " to " + quoted(m.linkName()) + ", out of the archive");
                }
                if (members.size() >= MAX_MEMBERS) {
                    throw new TarHeaderGuard.TarRefusal(RuleId.UNSAFE_PATH.id(), "the archive holds more than "
                            + MAX_MEMBERS + " entries, far more than any image archive (" + RuleId.UNSAFE_PATH.id()
                            + "); copy or save the image again");
                }
                TarHeaderGuard.Member before = members.put(name, m);
                if (before != null && !(before.isDirectory() && m.isDirectory())) {
                    throw new TarHeaderGuard.TarRefusal(RuleId.UNSAFE_PATH.id(), "the archive holds " + name
                            + " twice (the tar entries at bytes " + (before.dataOffset() - 512) + " and "
                            + (m.dataOffset() - 512) + "), so what it means depends on the reader (" + RuleId.UNSAFE_PATH.id()
                            + "); copy or save the image again");
                }
            });
        }
        return new ImageFiles() {
            /** The regular member {@code name} is, following links inside the archive; null when there is none. */
            private TarHeaderGuard.Member file(String name) {
                String at = name == null ? null : normalise(name);
                for (int hop = 0; at != null && hop <= MAX_LINKS; hop++) {
                    TarHeaderGuard.Member m = members.get(at);
                    if (m == null || m.isFile()) {
                        return m;
                    }
                    at = m.isLink() ? linkTarget(at, m) : null;
                }
                return null;
            }

            @Override
            OptionalLong size(String name) {
                TarHeaderGuard.Member m = file(name);
                return m == null ? OptionalLong.empty() : OptionalLong.of(m.size());
            }

            @Override
            InputStream open(String name) throws IOException {
                TarHeaderGuard.Member m = file(name);
                if (m == null) {
                    throw new java.nio.file.NoSuchFileException(archive + ":" + name);
                }
                return new BufferedInputStream(new Slice(FileChannel.open(archive, StandardOpenOption.READ),
                        m.dataOffset(), m.size()), 1 << 16);
            }
        };
    }

    /**
     * The most entries an image archive may hold: a few per layer, blob and manifest. A listing is kept in memory,
     * so an archive of millions of empty entries would otherwise cost memory in proportion to its size.
     */
    static final int MAX_MEMBERS = 1 << 16;

    /** The most links followed from one name to the file it stands for. */
    private static final int MAX_LINKS = 8;

    /**
     * The member a link entry named {@code name} stands for, normalised: a hard link's target is a member name, a
     * symlink's is relative to its directory; null when it leads out of the archive (or is absolute).
     */
    private static String linkTarget(String name, TarHeaderGuard.Member link) {
        String target = link.linkName();
        if (target.isEmpty() || target.startsWith("/")) {
            return null;
        }
        String resolved = ImagePaths.lexicalResolve(link.type() == '1' ? "" : ImagePaths.directoryOf(name), target);
        return resolved == null || resolved.isEmpty() ? null : resolved;
    }

    private static TarHeaderGuard.TarRefusal unsafe(TarHeaderGuard.Member m, String what) {
        return new TarHeaderGuard.TarRefusal(RuleId.UNSAFE_PATH.id(), "the tar entry at byte " + (m.dataOffset() - 512)
                + " " + what + " (" + RuleId.UNSAFE_PATH.id() + "); copy or save the image again");
    }

    /** A name from the archive as it may be printed: at most 200 characters, control characters escaped. */
    static String quoted(String name) {
        StringBuilder b = new StringBuilder("'");
        name.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.append(name.codePointCount(0, name.length()) > 200 ? "...'" : "'").toString();
    }

    private static String normalise(String name) {
        return ImagePaths.normalize(name).filter(n -> !n.isEmpty()).orElse(null);
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
