package dev.sysextctl.core.release;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a release file from disk, and an OS tree's os-release the way systemd finds it (docs/compatibility.md §2.3). */
public final class OsReleaseFiles {
    private OsReleaseFiles() {
    }

    public static ReleaseFile read(Path file) throws OperationFailedException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a directory fails the read; a FIFO would block it forever, a character device never end it
            throw new OperationFailedException("release file " + file + " is not a regular file; give a KEY=VALUE "
                    + "text file");
        }
        try {
            return parse(ReleaseFiles.readCapped(file, file.toString(), ReleaseFiles.MAX_BYTES), file.toString());
        } catch (NoSuchFileException e) {
            throw new OperationFailedException("release file " + file + " does not exist; give an existing file");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + e.getMessage()
                    + "; check that it is a readable text file");
        }
    }

    /**
     * A release file's bytes, read as systemd reads them ({@link EnvFile#parse(byte[])}): the same for os-release and
     * extension-release, from disk or from an image.
     *
     * @param what the file, for the message
     * @throws OperationFailedException when a key or value is not UTF-8 (systemd refuses such a file)
     */
    public static ReleaseFile parse(byte[] bytes, String what) throws OperationFailedException {
        try {
            return EnvFile.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new OperationFailedException(what + ": " + e.getMessage() + ", so systemd refuses the file; save "
                    + "it as UTF-8");
        }
    }

    /**
     * The os-release of the OS tree at {@code root}: {@code etc/os-release}, else {@code usr/lib/os-release}
     * (the first that exists, symlinks chased inside the root). Empty when there is none.
     */
    public static Optional<Path> locate(Path root) {
        for (String candidate : new String[] {"etc/os-release", "usr/lib/os-release"}) {
            Optional<Path> p = dev.sysextctl.core.fs.RootedPaths.resolveExisting(root, candidate);
            if (p.isPresent() && Files.isRegularFile(p.get())) {
                return p;
            }
        }
        return Optional.empty();
    }

    public static ReleaseFile readOsRelease(Path root) throws OperationFailedException {
        Path p = locate(root).orElseThrow(() -> new OperationFailedException(
                "no os-release in OS tree '" + root + "' (looked for etc/os-release and usr/lib/os-release); "
                        + "give --os-release FILE or the target's fields (--os, --os-version, --sysext-level)"));
        return read(p);
    }
}
