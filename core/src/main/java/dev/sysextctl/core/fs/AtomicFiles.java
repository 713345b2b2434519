package dev.sysextctl.core.fs;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Writes files and symlinks under a temporary name in the target directory and renames them into place, so a
 * reader sees the old state or the new one, never half of it.
 */
public final class AtomicFiles {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** A fresh temporary name beside {@code target}: {@code .#NAME.sysextctl-XXXXXXXX}. */
    public static Path temporarySibling(Path target) {
        byte[] b = new byte[4];
        RANDOM.nextBytes(b);
        return target.resolveSibling(".#" + target.getFileName() + ".sysextctl-" + HexFormat.of().formatHex(b));
    }

    public static void writeString(Path target, String text, boolean overwrite) throws OperationFailedException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)), overwrite, null);
    }

    public static void write(Path target, Content content, boolean overwrite, Set<PosixFilePermission> perms)
            throws OperationFailedException {
        Path tmp = temporarySibling(target);
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
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
