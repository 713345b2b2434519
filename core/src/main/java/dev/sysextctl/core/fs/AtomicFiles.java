package dev.sysextctl.core.fs;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files and symlinks under a temporary name in the target directory and renames them into place, so a
 * reader sees the old state or the new one, never half of it. Temporary names carry their owner
 * ({@link ScratchOwner}); writing into a directory first removes what killed processes left there.
 */
public final class AtomicFiles {
    private static final String MARK = ".sysextctl-";
    private static final Path URANDOM = Path.of("/dev/urandom");
    private static final Pattern TEMP_SUFFIX = Pattern.compile(ScratchOwner.TOKEN.pattern() + "-[0-9a-f]{8}");

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * A fresh temporary name beside {@code target}: {@code .#NAME.sysextctl-PID-START-BOOT-XXXXXXXX}, naming this
     * process ({@link ScratchOwner}) so that a later run recognises it as stale once this process is gone
     * ({@link #removeStale}).
     */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling(".#" + target.getFileName() + MARK + ScratchOwner.self().token() + "-"
                + randomHex());
    }

    /**
     * Creates a private scratch directory {@code PREFIX-PID-START-BOOT-XXXXXXXX} in {@code parent} (the temporary
     * directory when null), after removing the ones a killed process left there with the same prefix.
     */
    public static Path createScratchDirectory(Path parent, String prefix) throws IOException {
        Path dir = parent != null ? Files.createDirectories(parent)
                : Path.of(System.getProperty("java.io.tmpdir"));
        removeStale(dir, prefix + "-");
        return Files.createDirectory(dir.resolve(prefix + "-" + ScratchOwner.self().token() + "-" + randomHex()),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /**
     * Removes the temporary siblings ({@link #temporarySibling}) in {@code dir} whose process is gone (killed
     * before it could clean up); those of live processes, and every other file, stay. Best effort: returns how many
     * it removed.
     */
    public static int removeStaleSiblings(Path dir) {
        return removeStale(dir, null);
    }

    /**
     * Removes what dead processes left in {@code dir}: with a null prefix the temporary siblings
     * ({@code .#…sysextctl-TOKEN-XXXXXXXX}), otherwise the entries named {@code PREFIX TOKEN-XXXXXXXX}.
     */
    static int removeStale(Path dir, String prefix) {
        int removed = 0;
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                Optional<ScratchOwner> owner = ownerOf(name, prefix);
                if (owner.isPresent() && owner.get().isGone()) {
                    TreeDeletion.deleteQuietly(p);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a stale temporary name is harmless and is tried again by the next run
        }
        return removed;
    }

    /** The owner a temporary name records, if it is one of ours. */
    static Optional<ScratchOwner> ownerOf(String name, String prefix) {
        String rest;
        if (prefix == null) {
            int at = name.lastIndexOf(MARK);
            if (!name.startsWith(".#") || at < 0) {
                return Optional.empty();
            }
            rest = name.substring(at + MARK.length());
        } else {
            if (!name.startsWith(prefix)) {
                return Optional.empty();
            }
            rest = name.substring(prefix.length());
        }
        Matcher m = TEMP_SUFFIX.matcher(rest);
        return m.matches() ? ScratchOwner.parse(rest) : Optional.empty();
    }

    /**
     * Four random bytes in hex, read from the kernel ({@code /dev/urandom}): the name is created exclusively, so it
     * only has to be hard to guess. A {@link SecureRandom} costs every short command its provider set-up and its
     * system-entropy seeding (network interfaces, {@code /proc}): about 0.1 s of a merge on a busy machine; it is
     * the fallback where {@code /dev/urandom} cannot be read.
     */
    private static String randomHex() {
        byte[] b = new byte[4];
        try (InputStream in = Files.newInputStream(URANDOM)) {
            if (in.readNBytes(b, 0, b.length) == b.length) {
                return HexFormat.of().formatHex(b);
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        FallbackRandom.RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Made on first use only. */
    private static final class FallbackRandom {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    public static void writeString(Path target, String text, boolean overwrite) throws OperationFailedException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)), overwrite, null);
    }

    public static void write(Path target, Content content, boolean overwrite, Set<PosixFilePermission> perms)
            throws OperationFailedException {
        Path tmp = temporarySibling(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            removeStaleSiblings(target.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(tmp, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                content.writeTo(out);
            }
            if (perms != null) {
                Files.setPosixFilePermissions(tmp, perms);
            }
            moveIntoPlace(tmp, target, overwrite);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new OperationFailedException("cannot write " + target + ": " + describe(e)
                    + "; check that the directory exists and is writable");
        }
    }

    /** Creates or replaces the symlink {@code link} → {@code target} atomically. */
    public static void symlink(Path link, String target, boolean overwrite) throws OperationFailedException {
        Path tmp = temporarySibling(link);
        try {
            Files.createDirectories(link.toAbsolutePath().getParent());
            removeStaleSiblings(link.toAbsolutePath().getParent());
            Files.createSymbolicLink(tmp, Path.of(target));
            moveIntoPlace(tmp, link, overwrite);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new OperationFailedException("cannot create link " + link + " -> " + target + ": " + describe(e)
                    + "; check that the directory is writable");
        }
    }

    /**
     * Renames {@code tmp} to {@code target}. Without {@code overwrite} an existing target (of any kind, a
     * dangling link too) is an error and {@code tmp} is removed.
     */
    public static void moveIntoPlace(Path tmp, Path target, boolean overwrite) throws IOException {
        if (!overwrite && (Files.exists(target, LinkOption.NOFOLLOW_LINKS))) {
            deleteQuietly(tmp);
            throw new FileAlreadyExistsException(target.toString(), null, "already exists");
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a stale temporary name is harmless and recognisable
        }
    }

    public static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        String msg = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse) {
            String reason = fse.getReason();
            if (reason == null) {
                reason = switch (kind) {
                    case "AccessDenied" -> "permission denied";
                    case "NoSuchFile" -> "no such file or directory";
                    case "FileAlreadyExists" -> "file exists";
                    case "DirectoryNotEmpty" -> "directory not empty";
                    case "NotDirectory" -> "not a directory";
                    case "NotLink" -> "not a symbolic link";
                    default -> kind;
                };
            }
            return reason + (fse.getFile() != null ? " (" + fse.getFile() + ")" : "");
        }
        return msg != null ? msg : kind;
    }
}
