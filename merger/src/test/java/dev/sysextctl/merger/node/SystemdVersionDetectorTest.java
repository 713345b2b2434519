package dev.sysextctl.merger.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdVersionDetectorTest {
    private static final List<String> NAMES = List.of("libsystemd-shared-252.so", "libsystemd-shared-252.so.0",
            "libsystemd-shared-.so", "libsystemd-shared-so", "libsystemd-shared-252", "xlibsystemd-shared-252.so",
            "libsystemd-shared-255.4-1.so", "x86_64-linux-gnu", "aarch64-linux-gnu", "-linux-", "linux-gnu",
            "x86_64-linux", "i386-linux-gnu.d", "python3", ".so");

    /** The file-name filters that replaced the globs match exactly the names the globs matched. */
    @Test
    void filtersMatchWhatTheGlobsMatched() {
        PathMatcher library = FileSystems.getDefault().getPathMatcher("glob:libsystemd-shared-*.so");
        PathMatcher multiarch = FileSystems.getDefault().getPathMatcher("glob:*-linux-*");
        for (String name : NAMES) {
            Path p = Path.of("/usr/lib", name);
            assertThat(SystemdVersionDetector.sharedLibrary(p)).as(name).isEqualTo(library.matches(p.getFileName()));
            assertThat(SystemdVersionDetector.multiarch(p)).as(name).isEqualTo(multiarch.matches(p.getFileName()));
        }
    }
}
