package dev.sysextctl.merger.node;

import dev.sysextctl.core.image.SystemdVersion;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells which systemd an OS tree runs from the shared library every systemd ships,
 * {@code usr/lib/<multiarch>/systemd/libsystemd-shared-252.so} (Debian) or
 * {@code usr/lib/systemd/libsystemd-shared-257.13-1.fc41.so} (Fedora, Flatcar).
 */
public final class SystemdVersionDetector {
    private static final Pattern LIB = Pattern.compile("libsystemd-shared-(\\d{3})(?:[.-].*)?\\.so");

    private SystemdVersionDetector() {
    }

    /** The version and the file that told it, or empty when the tree has no systemd library. */
    public static Optional<Detected> detect(Path root) {
        for (Path dir : candidateDirs(root)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, SystemdVersionDetector::sharedLibrary)) {
                for (Path p : s) {
                    Matcher m = LIB.matcher(p.getFileName().toString());
                    if (m.matches()) {
                        int v = Integer.parseInt(m.group(1));
                        if (v >= 248 && v <= 999) {
                            return Optional.of(new Detected(new SystemdVersion(v), p));
                        }
                    }
                }
            } catch (IOException ignored) {
                // no such directory: try the next
            }
        }
        return Optional.empty();
    }

    private static final String SHARED_PREFIX = "libsystemd-shared-";

    /**
     * The glob {@code libsystemd-shared-*.so}, and {@link #multiarch} {@code *-linux-*}: matched by hand, as a glob
     * string is compiled into a regular expression per directory, in every run that opens a node.
     */
    static boolean sharedLibrary(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(SHARED_PREFIX) && name.endsWith(".so"); // the prefix ends in "-": no overlap
    }

    static boolean multiarch(Path p) {
        return p.getFileName().toString().contains("-linux-");
    }

    private static List<Path> candidateDirs(Path root) {
        List<Path> dirs = new ArrayList<>();
        for (String lib : new String[] {"usr/lib", "usr/lib64"}) {
            dirs.add(root.resolve(lib).resolve("systemd"));
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root.resolve(lib), SystemdVersionDetector::multiarch)) {
                for (Path p : s) {
                    dirs.add(p.resolve("systemd"));
                }
            } catch (IOException ignored) {
                // not there
            }
        }
        return dirs;
    }

    /** A detected version and the library it was read from. */
    public record Detected(SystemdVersion version, Path library) {
    }
}
