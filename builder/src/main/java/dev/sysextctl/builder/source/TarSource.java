package dev.sysextctl.builder.source;

import dev.sysextctl.core.codec.ZstdLibrary;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * A tar archive as an image source: plain, gzip, xz, zstd or bzip2 (told from the magic bytes), in v7, ustar,
 * GNU or PAX format. Entry names are normalised ({@code ./usr//bin/} → {@code usr/bin}); names that are absolute
 * or contain {@code ..}, hard links to such names, and symlinks whose relative target climbs out of the tree
 * are reported as {@code unsafe-path} and skipped. PAX {@code SCHILY.xattr.*} and {@code LIBARCHIVE.xattr.*}
 * headers become the entry's extended attributes. Nothing is ever written to disk.
 */
public final class TarSource implements ImageSource {
    /** Extra finding: a hard link to a name the archive has not had before it. */
    private static final String BROKEN_HARDLINK = RuleId.BROKEN_HARDLINK.id();
    /** Extra finding: an extended attribute whose value is not text cannot be carried. */
    private static final String XATTR_DROPPED = RuleId.XATTR_DROPPED.id();
    /** Extra finding: a tar entry type that has no place in an image (GNU volume labels, dump dirs, ...). */
    private static final String UNSUPPORTED_ENTRY = RuleId.UNSUPPORTED_ENTRY.id();
    /** Extra finding: a path or link target the kernel cannot use (PATH_MAX, NAME_MAX). */
    private static final String PATH_TOO_LONG = RuleId.PATH_TOO_LONG.id();
    /** PATH_MAX, counting the leading {@code /} and the terminating NUL: the longest image path is 4094 bytes. */
    public static final int PATH_MAX = 4096;
    /** NAME_MAX: the longest path component. */
    public static final int NAME_MAX = 255;

    private final Path archive;
    private final ArchiveCompression compression;

    private TarSource(Path archive, ArchiveCompression compression) {
        this.archive = archive;
        this.compression = compression;
    }

    /**
     * Opens {@code archive} if it is a tar archive (compressed or not); empty when its first bytes are neither a
     * known compression nor a tar header.
     */
    public static Optional<TarSource> probe(Path archive) throws UsageException, OperationFailedException {
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
            ArchiveCompression c = ArchiveCompression.detect(in);
            if (c != ArchiveCompression.NONE) {
                return Optional.of(new TarSource(archive, c));
            }
            byte[] header = in.readNBytes(512);
            if (header.length == 0) {
                throw new UsageException(archive + " is empty; give a directory or a tar archive");
            }
            boolean tar = header.length == 512 && (TarArchiveInputStream.matches(header, header.length)
                    || checksumMatches(header));
            return tar ? Optional.of(new TarSource(archive, c)) : Optional.empty();
        } catch (NoSuchFileException e) {
            throw new UsageException(archive + " does not exist; give an existing directory or tar archive");
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + archive + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
    }

    private static boolean checksumMatches(byte[] header) {
        try {
            return TarUtils.verifyCheckSum(header);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Opens {@code archive} as a tar archive, or says why it is not one. */
    public static TarSource open(Path archive) throws UsageException, OperationFailedException {
        return probe(archive).orElseThrow(() -> new UsageException(archive + " is neither a directory nor a tar "
                + "archive (plain, gzip, xz, zstd or bzip2); give a directory or a tar archive"));
    }

    public ArchiveCompression compression() {
        return compression;
    }

    public Path archive() {
        return archive;
    }

    @Override
    public String describe() {
        return archive.toString();
    }

    @Override
    public void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException {
        if (compression == ArchiveCompression.ZSTD) {
            ZstdLibrary.ensureLoaded(); // before zstd-jni tries the (perhaps noexec) temporary directory alone
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                InputStream plain = compression.decompressChecked(raw);
                TarArchiveInputStream tar = new TarArchiveInputStream(new TarHeaderGuard(plain),
                        StandardCharsets.UTF_8.name())) {
            TarArchiveEntry te;
            while ((te = nextEntry(tar)) != null) {
                TreeEntry e = toEntry(te, findings);
                if (e != null) {
                    visitor.visit(e, e.type() == EntryType.FILE ? tar : null);
                }
            }
            plain.transferTo(OutputStream.nullOutputStream()); // the rest: the compression's checks and index
        } catch (IOException e) {
            throw failure(archive, e);
        }
    }

    /**
     * The one-line error for a tar archive that cannot be read: {@link RefusedException} for what the
     * {@link TarHeaderGuard} refuses by rule, else {@link OperationFailedException} (corrupt, truncated, I/O).
     */
    public static SysextctlException failure(Path archive, IOException e) {
        TarHeaderGuard.TarRefusal refusal = TarHeaderGuard.TarRefusal.in(e);
        if (refusal != null && refusal.rule() != null) {
            return new RefusedException(archive + ": " + refusal.getMessage());
        }
        if (refusal != null) {
            return new OperationFailedException(archive + ": " + refusal.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ArchiveCompression.CorruptStreamException c) {
                return new OperationFailedException(archive + " is " + c.getMessage() + "; check that the "
                        + "archive is complete and not corrupt");
            }
        }
        return new OperationFailedException("cannot read the tar archive " + archive + ": "
                + AtomicFiles.describe(e) + "; check that the archive is complete and not corrupt");
    }

    private TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        return tar.getNextEntry();
    }

    /**
     * The image entry for a tar entry, or null when it is left out (reported to {@code findings}: an unsafe name,
     * a path the kernel cannot use, an entry type with no place in an image). Container image layers use it too.
     */
    public static TreeEntry toEntry(TarArchiveEntry te, Findings findings) {
        String rawName = te.getName();
        Optional<String> normalized = ImagePaths.normalize(rawName);
        if (normalized.isEmpty()) {
            findings.add(LintRule.UNSAFE_PATH, rawName, "the archive entry " + rawName + " is "
                    + (rawName.startsWith("/") ? "an absolute path" : "a path with '..'") + "; it was left out");
            return null;
        }
        String path = normalized.get();
        if (path.isEmpty()) {
            return null; // the archive's root directory: the image root's metadata is fixed
        }
        String tooLong = tooLong(path, te.isSymbolicLink() ? te.getLinkName() : null);
        if (tooLong != null) {
            findings.add(new Finding(PATH_TOO_LONG, Severity.ERROR, abbreviate(path), tooLong + "; it was left out",
                    "shorten the path: no program could open it"));
            return null;
        }
        int mode = te.getMode() & 07777;
        int uid = (int) te.getLongUserId();
        int gid = (int) te.getLongGroupId();
        long mtime = te.getLastModifiedDate().getTime() / 1000;
        Map<String, String> xattrs = xattrs(path, te, findings);
        if (te.isLink()) {
            Optional<String> target = ImagePaths.normalize(te.getLinkName());
            if (target.isEmpty() || target.get().isEmpty()) {
                findings.add(LintRule.UNSAFE_PATH, path, "hard link to " + te.getLinkName()
                        + ", outside the archive's tree; it was left out");
                return null;
            }
            return new TreeEntry(path, EntryType.HARDLINK, mode, uid, gid, 0, target.get(), 0, 0, mtime, null);
        }
        if (te.isSymbolicLink()) {
            String target = te.getLinkName();
            if (!ImagePaths.relativeLinkStaysInside(path, target)) {
                findings.add(LintRule.UNSAFE_PATH, path, "symlink to " + target + " climbs out of the tree; it was "
                        + "left out");
                return null;
            }
            return new TreeEntry(path, EntryType.SYMLINK, 0777, uid, gid, target.length(), target, 0, 0, mtime, null);
        }
        if (te.isDirectory()) {
            return new TreeEntry(path, EntryType.DIRECTORY, mode, uid, gid, 0, null, 0, 0, mtime, xattrs);
        }
        if (te.isCharacterDevice() || te.isBlockDevice() || te.isFIFO()) {
            EntryType type = te.isCharacterDevice() ? EntryType.CHAR_DEVICE
                    : te.isBlockDevice() ? EntryType.BLOCK_DEVICE : EntryType.FIFO;
            return new TreeEntry(path, type, mode, uid, gid, 0, null, te.isFIFO() ? 0 : te.getDevMajor(),
                    te.isFIFO() ? 0 : te.getDevMinor(), mtime, xattrs);
        }
        if (te.isFile()) {
            long size = te.isSparse() ? te.getRealSize() : te.getSize();
            return new TreeEntry(path, EntryType.FILE, mode, uid, gid, size, null, 0, 0, mtime, xattrs);
        }
        findings.add(new Finding(UNSUPPORTED_ENTRY, Severity.WARNING, path, "tar entry type '"
                + (char) te.getLinkFlag() + "' has no place in an image; it was left out",
                "rebuild the archive without it"));
        return null;
    }

    /** Why the kernel could not use {@code path} or the symlink text {@code target}, or null when it can. */
    static String tooLong(String path, String target) {
        int bytes = path.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > PATH_MAX - 2) {
            return "the path is " + bytes + " bytes, longer than PATH_MAX (" + PATH_MAX + ") allows";
        }
        for (int start = 0; start < path.length();) {
            int end = path.indexOf('/', start);
            end = end < 0 ? path.length() : end;
            int n = path.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
            if (n > NAME_MAX) {
                return "a component of the path is " + n + " bytes, longer than NAME_MAX (" + NAME_MAX + ")";
            }
            start = end + 1;
        }
        if (target != null && target.getBytes(StandardCharsets.UTF_8).length > PATH_MAX - 1) {
            return "the symlink's target is " + target.getBytes(StandardCharsets.UTF_8).length
                    + " bytes, longer than PATH_MAX (" + PATH_MAX + ") allows";
        }
        return null;
    }

    /** A long path shortened for a one-line finding: its start and its end. */
    private static String abbreviate(String path) {
        return path.length() <= 200 ? path : path.substring(0, 96) + "..." + path.substring(path.length() - 96);
    }

    /** {@code SCHILY.xattr.NAME} (raw value) and {@code LIBARCHIVE.xattr.URLNAME} (base64 value) headers. */
    private static Map<String, String> xattrs(String path, TarArchiveEntry te, Findings findings) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> h : te.getExtraPaxHeaders().entrySet()) {
            String key = h.getKey();
            String name;
            String value;
            if (key.startsWith("SCHILY.xattr.")) {
                name = key.substring("SCHILY.xattr.".length());
                value = h.getValue();
                if (!isText(value)) {
                    value = null;
                }
            } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                try {
                    name = URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // a malformed %-escape: libarchive would not have written it; the name is unknown
                    findings.add(new Finding(XATTR_DROPPED, Severity.WARNING, path, "the PAX record " + key
                            + " does not name an extended attribute (a malformed %-escape); it was left out",
                            "rebuild the archive with GNU tar or bsdtar"));
                    continue;
                }
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(h.getValue().trim());
                } catch (IllegalArgumentException e) {
                    bytes = new byte[] {(byte) 0xff};
                }
                value = decodeText(bytes);
            } else {
                continue;
            }
            if (value == null) {
                findings.add(new Finding(XATTR_DROPPED, Severity.WARNING, path, "extended attribute " + name
                        + " has a binary value, which sysextctl cannot carry; it was left out",
                        "set it on the installed file instead, or use a text value"));
                continue;
            }
            out.put(name, value);
        }
        return out;
    }

    /** The value as text, or null when it is binary (not UTF-8, or holding control characters). */
    private static String decodeText(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            return isText(s) ? s : null;
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    private static boolean isText(String s) {
        return s.chars().noneMatch(c -> c == 0xFFFD || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f);
    }
}
