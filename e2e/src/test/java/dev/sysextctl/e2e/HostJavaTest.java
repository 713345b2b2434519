package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostJavaTest {
    @TempDir
    Path tmp;

    @Test
    void findsTheJavaConfigurationDirectoriesItsAbsoluteLinksPointInto() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("jdk"));
        Files.createDirectories(home.resolve("lib/security"));
        Files.createSymbolicLink(home.resolve("lib/jvm.cfg"), Path.of("/etc/java-17-openjdk/jvm-amd64.cfg"));
        Files.createSymbolicLink(home.resolve("conf"), Path.of("/etc/java-17-openjdk"));
        Files.createSymbolicLink(home.resolve("lib/security/cacerts"), Path.of("/etc/ssl/certs/java/cacerts"));
        Files.createSymbolicLink(home.resolve("docs"), Path.of("../../share/doc/openjdk"));

        HostJava java = HostJava.of(home);

        assertThat(java.home()).isEqualTo(home.toRealPath());
        assertThat(java.etcDirs()).containsExactly(Path.of("/etc/java-17-openjdk"));
    }

    @Test
    void theHomeIsTheRealPathSoTheBindMountGetsADirectory() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real-jdk"));
        Path link = Files.createSymbolicLink(tmp.resolve("default-java"), real);

        assertThat(HostJava.of(link).home()).isEqualTo(real.toRealPath());
        assertThat(HostJava.of(link).etcDirs()).isEmpty();
    }

    @Test
    void theRunningJvmHasAJavaBinary() {
        assertThat(HostJava.current().home().resolve("bin/java")).isExecutable();
    }
}
