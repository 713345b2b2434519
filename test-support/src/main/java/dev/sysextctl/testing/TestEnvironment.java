package dev.sysextctl.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine the tests run on. */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    /** CI runs set {@code CI=true}: there a missing requirement fails the test instead of skipping it. */
    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uid() == 0;
    }

    private static long uid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return ((Number) uid).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The absolute path of {@code program} on PATH (or in the sbin dirs root has), or null. */
    public static Path which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin:/usr/local/sbin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    public static boolean hasTool(String program) {
        return which(program) != null;
    }

    /** The repository's top directory (set by the build as {@code sysextctl.repo}, else found upwards). */
    public static Path repository() {
        String prop = System.getProperty("sysextctl.repo");
        if (prop != null && !prop.isEmpty()) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        return p;
    }
}
