package dev.sysextctl.core.codec;

import com.github.luben.zstd.util.Native;
import dev.sysextctl.core.error.OperationFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads zstd-jni's native decoder before any zstd is read. zstd-jni unpacks its shared library into the temporary
 * directory and maps it from there, which fails where that directory is mounted {@code noexec} (a common hardening)
 * or does not exist. Then the library is unpacked into a private directory under the next candidate that allows it:
 * {@code $XDG_RUNTIME_DIR}, {@code ~/.cache/sysextctl}, {@code /var/tmp}; the directory is removed once the library
 * is mapped. zstd-jni's own {@code -DZstdTempFolder=DIR} and {@code -DZstdNativePath=FILE} still come first.
 */
public final class ZstdLibrary {
    private static volatile boolean loaded;

    private ZstdLibrary() {
    }

    /**
     * Loads the library once per process.
     *
     * @throws OperationFailedException when no candidate directory lets it be mapped
     */
    public static void ensureLoaded() throws OperationFailedException {
        if (!loaded) {
            load(fallbacks());
        }
    }

    /** Loads from the default place, else from {@code fallbacks} in order. */
    static synchronized void load(List<Path> fallbacks) throws OperationFailedException {
        if (loaded || Native.isLoaded()) {
            loaded = true;
            return;
        }
        List<String> tried = new ArrayList<>();
        String why;
        try {
            Native.load();
            loaded = true;
            return;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            tried.add(System.getProperty("ZstdTempFolder", System.getProperty("java.io.tmpdir")));
            why = String.valueOf(e.getMessage());
        }
        for (Path base : fallbacks) {
            Path dir = null;
            try {
                Files.createDirectories(base, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
                dir = Files.createTempDirectory(base, "sysextctl-zstd-");
                Native.load(dir.toFile());
                loaded = true;
                return;
            } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
                tried.add(base.toString());
            } finally {
                removeQuietly(dir);
            }
        }
        int cut = why.indexOf('\n');
        throw new OperationFailedException("cannot load the zstd decoder (zstd-jni) from " + String.join(", ", tried)
                + " (" + (cut < 0 ? why : why.substring(0, cut)) + "): the directories are mounted noexec or not "
                + "writable; set SYSEXTCTL_JAVA_OPTS=-DZstdTempFolder=DIR to a writable directory that allows "
                + "executables");
    }

    static List<Path> fallbacks() {
        Set<Path> out = new LinkedHashSet<>();
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            out.add(Path.of(runtime, "sysextctl"));
        }
        String home = System.getProperty("user.home");
        if (home != null && home.startsWith("/")) {
            out.add(Path.of(home, ".cache", "sysextctl"));
        }
        out.add(Path.of("/var/tmp"));
        return List.copyOf(out);
    }

    private static void removeQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a leftover in a private directory: harmless
        }
    }
}
