package dev.sysextctl.builder.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.SystemdVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetResolverTest {
    @TempDir
    Path tmp;

    private static TargetResolver.Options opts(Path root, Path osRelease, String os, String ver, String level,
            String arch, String scope) {
        return new TargetResolver.Options(root, osRelease, os, ver, level, arch, scope);
    }

    private Path host(String osRelease) throws Exception {
        Path h = tmp.resolve("host");
        Fixtures.file(h, "usr/lib/os-release", osRelease);
        Fixtures.file(h, "usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so", "");
        return h;
    }

    @Test
    void theHostByDefaultWithItsSystemd() throws Exception {
        ValidationTarget t = new TargetResolver(Map.of(), host("ID=debian\nVERSION_ID=12\nID_LIKE=\"a b\"\n"))
                .resolve(opts(null, null, null, null, null, null, null));
        assertThat(t.os()).isEqualTo(new TargetOs("debian", List.of("a", "b"), "12", "", Architecture.host(),
                "system"));
        assertThat(t.description()).isEqualTo("this machine");
        assertThat(t.systemdVersion()).contains(SystemdVersion.V252);
    }

    @Test
    void theEnvironmentCanPointAtAnotherOsReleaseAndAtTheInitrd() throws Exception {
        Path other = Files.writeString(tmp.resolve("osr"), "ID=arch\n");
        ValidationTarget t = new TargetResolver(Map.of("SYSTEMD_OS_RELEASE", other.toString(), "SYSTEMD_IN_INITRD",
                "yes"), host("ID=debian\n")).resolve(opts(null, null, null, null, null, null, null));
        assertThat(t.os().id()).isEqualTo("arch");
        assertThat(t.os().scope()).isEqualTo("initrd");
    }

    @Test
    void aRootAnOsReleaseFileOrExplicitFields() throws Exception {
        Path root = tmp.resolve("root");
        Fixtures.file(root, "etc/os-release", "ID=flatcar\nVERSION_ID=3975.2.0\nSYSEXT_LEVEL=1.0\n");
        Fixtures.file(root, "usr/lib/systemd/libsystemd-shared-257.13-1.so", "");
        TargetResolver r = new TargetResolver(Map.of(), host("ID=debian\n"));
        ValidationTarget t = r.resolve(opts(root, null, null, null, null, "arm64", "initrd"));
        assertThat(t.os()).extracting(TargetOs::id, TargetOs::versionId, TargetOs::sysextLevel,
                TargetOs::architecture, TargetOs::scope).containsExactly("flatcar", "3975.2.0", "1.0", "arm64",
                        "initrd");
        assertThat(t.systemdVersion()).contains(new SystemdVersion(257));
        Path file = Files.writeString(tmp.resolve("f"), "ID=fedora\nVERSION_ID=41\n");
        assertThat(r.resolve(opts(null, file, null, "40", null, null, null)).os())
                .extracting(TargetOs::id, TargetOs::versionId).containsExactly("fedora", "40");
        ValidationTarget explicit = r.resolve(opts(null, null, "debian", null, "1.0", "amd64", null));
        assertThat(explicit.os()).extracting(TargetOs::id, TargetOs::versionId, TargetOs::sysextLevel,
                TargetOs::architecture).containsExactly("debian", "", "1.0", "x86-64");
        assertThat(explicit.systemdVersion()).isEmpty();
    }

    @Test
    void badTargetsAreUsageErrors() throws Exception {
        TargetResolver r = new TargetResolver(Map.of(), host("ID=debian\n"));
        assertThatThrownBy(() -> r.resolve(opts(tmp, tmp.resolve("x"), null, null, null, null, null)))
                .isInstanceOf(UsageException.class).hasMessageContaining("give one of them");
        assertThatThrownBy(() -> r.resolve(opts(null, null, null, null, null, "z80", null)))
                .isInstanceOf(UsageException.class).hasMessageContaining("unknown architecture");
        assertThatThrownBy(() -> r.resolve(opts(null, null, null, null, null, null, "portable")))
                .isInstanceOf(UsageException.class).hasMessageContaining("system or initrd");
    }

    /** The file-name filter that replaced the glob matches exactly the names the glob matched. */
    @Test
    void sharedLibraryFilterMatchesWhatTheGlobMatched() {
        java.nio.file.PathMatcher glob = java.nio.file.FileSystems.getDefault()
                .getPathMatcher("glob:libsystemd-shared-*.so*");
        for (String name : List.of("libsystemd-shared-252.so", "libsystemd-shared-252.so.0", "libsystemd-shared-.so",
                "libsystemd-shared-252.sox", "libsystemd-shared-252", "libsystemd-shared-252.s", "libsystemd-shared-so",
                "xlibsystemd-shared-252.so", "libsystemd-shared-255.4-1.so", "libsystemd-core-252.so",
                "libsystemd-shared-a.so.so", ".libsystemd-shared-252.so", "libsystemd-shared-")) {
            Path p = Path.of("/usr/lib/systemd", name);
            assertThat(TargetResolver.sharedLibraryName(p)).as(name).isEqualTo(glob.matches(p.getFileName()));
        }
    }

    @Test
    void probeSystemdFindsTheLibraryInAMultiarchDirectoryBesideOthers(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu/systemd"));
        Files.createDirectories(root.resolve("usr/lib/python3"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=x\n");
        Files.writeString(root.resolve("usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-254.so"), "");
        assertThat(TargetResolver.probeSystemd(root)).contains(new SystemdVersion(254));
    }
}
