package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Shell;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the packaged jar loads to answer the shortest runs ({@code -Xlog:class+load}): {@code --version} prints the
 * version without loading picocli or any command class; the count of classes loaded is reported, never asserted
 * as a figure (it depends on the JDK).
 */
class StartupClassesIT {
    @Test
    void versionLoadsNeitherPicocliNorAnyCommand() {
        Shell.Result r = Shell.run(List.of("java", "-Xshare:off", "-Xlog:class+load=info", "-jar",
                Jar.path().toString(), "--version"), Map.of(), Path.of("/tmp"), 120).assertSuccess();
        List<String> loaded = r.stdout().lines().filter(l -> l.contains("[class,load]")).toList();
        assertThat(r.stdout()).contains("sysextctl ");
        assertThat(loaded).as("classes loaded").isNotEmpty();
        assertThat(loaded.stream().filter(l -> l.contains(" picocli.") || l.contains("Command ")).toList())
                .as("picocli and command classes loaded").isEmpty();
        System.out.println("sysextctl --version loaded " + loaded.size() + " classes");
    }
}
