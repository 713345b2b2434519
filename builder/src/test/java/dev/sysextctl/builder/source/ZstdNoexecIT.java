package dev.sysextctl.builder.source;

import static dev.sysextctl.builder.Fixtures.Member.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.Fixtures;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zstd-jni unpacks its native library into java.io.tmpdir and maps it from there: with a noexec temporary
 * directory (a common hardening) every .tar.zst failed. A JVM of its own runs with a noexec tmpfs as its
 * temporary directory, in a private mount namespace, and still reads the archive.
 */
@Requires(root = true, mounts = true, tools = {"unshare", "mount", "zstd"})
class ZstdNoexecIT {
    @TempDir
    Path tmp;

    @Test
    void aZstdArchiveIsReadWhenTheTemporaryDirectoryIsNoexec() throws Exception {
        Path tar = Fixtures.write(tmp.resolve("a.tar"), Fixtures.tar(List.of(file("usr/bin/x", "x"))));
        Shell.run("zstd", "-q", "-f", tar.toString(), "-o", tmp.resolve("a.tar.zst").toString());
        Path noexec = Files.createDirectories(tmp.resolve("noexec"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Shell.Result r = MountNamespace.run("mount -t tmpfs -o noexec,nosuid,nodev tmpfs " + noexec + " && "
                + "grep -q ' " + noexec + " tmpfs rw,nosuid,nodev,noexec' /proc/self/mounts && "
                + java + " -Djava.io.tmpdir=" + noexec + " -cp '" + System.getProperty("java.class.path") + "' "
                + ScanMain.class.getName() + " " + tmp.resolve("a.tar.zst"));
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("usr/bin/x\n");
        assertThat(r.stderr()).isEmpty();
    }
}
