package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's launcher ({@code sysextctl} at the top) starts the jar without helper processes when there is no
 * AOT cache to choose: each one is time every short command pays (README "Performance", issue 17's merge).
 */
@Requires(tools = {"bash", "java"})
class LauncherIT {
    @TempDir
    Path tmp;

    @Test
    void withoutAnAotCacheTheLauncherRunsNeitherReadlinkNorSed() throws Exception {
        Path jar = Files.copy(Jar.path(), tmp.resolve("sysextctl.jar"));
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path called = tmp.resolve("called");
        for (String tool : List.of("readlink", "sed")) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho " + tool + " >> '" + called + "'\nexec /usr/bin/" + tool
                    + " \"$@\"\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Shell.Result r = Shell.run(List.of("bash", TestEnvironment.repository().resolve("sysextctl").toString(),
                "--version"), Map.of("PATH", bin + ":" + System.getenv("PATH"), "SYSEXTCTL_JAR", jar.toString()),
                tmp, 120);

        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).startsWith("sysextctl ");
        assertThat(called).as("helpers the launcher started").doesNotExist();
    }

    /**
     * Without an AOT cache (JDK 17) the launcher runs the jar through the Debian package's launcher, which keeps a
     * class-data archive per command in {@code cds/} beside the jar: made by the first run, mapped by the next.
     */
    @Test
    void onJdk17TheFirstRunOfACommandMakesItsArchiveBesideTheJarAndTheNextMapsIt() throws Exception {
        Path jar = Files.copy(Jar.path(), tmp.resolve("sysextctl.jar"));
        List<String> argv = List.of("env", "-u", "JAVA_HOME", "bash",
                TestEnvironment.repository().resolve("sysextctl").toString(), "--version");
        Shell.Result first = Shell.run(argv, Map.of("SYSEXTCTL_JAR", jar.toString(), "SYSEXTCTL_JAVA_OPTS", ""), tmp,
                120);
        assertThat(first.exitCode()).as(first.all()).isZero();
        assertThat(first.stdout()).startsWith("sysextctl ");
        assertThat(tmp.resolve("cds/java-version.jsa")).isNotEmptyFile();

        Shell.Result next = Shell.run(argv, Map.of("SYSEXTCTL_JAR", jar.toString(), "SYSEXTCTL_JAVA_OPTS",
                "-Xshare:on -Xlog:class+load=info"), tmp, 120);
        assertThat(next.exitCode()).as(next.all()).isZero();
        assertThat(next.stdout().lines().filter(l -> l.contains("[class,load] dev.sysextctl.cli.Main ")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("shared objects file (top)");
    }
}
