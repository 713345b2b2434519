package dev.sysextctl.builder;

import dev.sysextctl.builder.source.ArchiveCompression;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;

/** Test fixtures generated in code: tar archives (any compression), trees, scanned entries. */
public final class Fixtures {
    static {
        // The build points java.io.tmpdir at target/tmp without creating it; zstd-jni unpacks its library there.
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Fixtures() {
    }

    /** Makes sure the temporary directory exists (call from tests that do not otherwise touch Fixtures). */
    public static void init() {
    }

    /** One tar member to write. */
    public record Member(String name, byte type, int mode, int uid, int gid, String content, String link,
            Map<String, String> pax) {
        public static Member dir(String name) {
            return new Member(name, TarConstants.LF_DIR, 0755, 0, 0, null, null, Map.of());
        }

        public static Member file(String name, String content) {
            return new Member(name, TarConstants.LF_NORMAL, 0644, 0, 0, content, null, Map.of());
        }

        public static Member symlink(String name, String target) {
            return new Member(name, TarConstants.LF_SYMLINK, 0777, 0, 0, null, target, Map.of());
        }

        public static Member hardlink(String name, String target) {
            return new Member(name, TarConstants.LF_LINK, 0644, 0, 0, null, target, Map.of());
        }

        public Member mode(int m) {
            return new Member(name, type, m, uid, gid, content, link, pax);
        }

        public Member owner(int u, int g) {
            return new Member(name, type, mode, u, g, content, link, pax);
        }

        public Member pax(Map<String, String> p) {
            return new Member(name, type, mode, uid, gid, content, link, p);
        }
    }

    public static byte[] tar(List<Member> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Member m : members) {
                TarArchiveEntry e = new TarArchiveEntry(m.name(), m.type(), true);
                e.setMode(m.mode());
                e.setIds(m.uid(), m.gid());
                e.setModTime(1_600_000_000_000L);
                if (m.link() != null) {
                    e.setLinkName(m.link());
                }
                byte[] content = m.content() == null ? new byte[0] : m.content().getBytes(StandardCharsets.UTF_8);
                if (m.type() == TarConstants.LF_NORMAL) {
                    e.setSize(content.length);
                }
                if (m.type() == TarConstants.LF_CHR) {
                    e.setDevMajor(0);
                    e.setDevMinor(0);
                }
                m.pax().forEach(e::addPaxHeader);
                tar.putArchiveEntry(e);
                if (m.type() == TarConstants.LF_NORMAL) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    public static byte[] compress(byte[] data, ArchiveCompression c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = switch (c) {
            case NONE -> bytes;
            case GZIP -> new GZIPOutputStream(bytes);
            case XZ -> new XZCompressorOutputStream(bytes);
            case ZSTD -> new ZstdCompressorOutputStream(bytes);
            case BZIP2 -> new BZip2CompressorOutputStream(bytes);
        }) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    public static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, data);
    }

    public static Path file(Path root, String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    public static void xattr(Path p, String name, String value) throws IOException {
        Files.getFileAttributeView(p, UserDefinedFileAttributeView.class)
                .write(name.startsWith("user.") ? name.substring(5) : name,
                        ByteBuffer.wrap(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** What a source visits: entries and file contents. */
    public record Scan(List<TreeEntry> entries, Map<String, String> contents, Findings findings) {
    }

    public static Scan scan(ImageSource source) throws Exception {
        List<TreeEntry> entries = new ArrayList<>();
        Map<String, String> contents = new java.util.LinkedHashMap<>();
        Findings findings = new Findings();
        source.scan((e, in) -> {
            entries.add(e);
            if (in != null) {
                contents.put(e.path(), new String(in.readNBytes((int) e.size()), StandardCharsets.UTF_8));
            }
        }, findings);
        return new Scan(entries, contents, findings);
    }

    /** Runs {@code body} and returns what it wrote. */
    public static byte[] capture(Consumer<ByteArrayOutputStream> body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        body.accept(b);
        return b.toByteArray();
    }
}
