package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scripts/quickstart end to end, with the jar this build made (SYSEXTCTL_JAR, so that it does not run Maven
 * inside Maven): build, inspect, validate, merge with the real systemd-sysext, and the extension's program
 * printing its greeting as the last line.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unsquashfs", "unshare"})
class QuickstartIT {
    @Test
    void theQuickstartEndsWithTheExtensionsGreeting() throws Exception {
        Path repo = TestEnvironment.repository();
        Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        Shell.Result r = Shell.run(List.of(repo.resolve("scripts/quickstart").toString()),
                Map.of("SYSEXTCTL_JAR", Jar.path().toString(), "TMPDIR", tmp.toString()), repo, 600);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        List<String> lines = r.stdout().strip().lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("Hello from the hello system extension (merged into /usr by systemd-sysext).");
        assertThat(r.stdout()).contains("==> Building examples/hello into a sysext", "lint         no findings",
                "accepted [any-os] Extension 'hello' matches '_any' OS.");
        assertThat(r.stderr()).contains("Using extensions 'hello'.", "merged: hello");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("sysextctl-quickstart."));
        }
    }
}
