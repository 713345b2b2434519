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
}
