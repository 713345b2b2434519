package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build stopped with SIGTERM (or Ctrl-C) while mksquashfs runs leaves no temporary file and no image. */
@Requires(tools = {"mksquashfs", "head"})
class InterruptedBuildIT {
    @TempDir
    Path tmp;

    @Test
    void sigtermRemovesTheTemporaryImage() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/usr/share/big"));
        Shell.shOk("head -c 400M /dev/urandom > '" + tree.resolve("blob") + "'");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Process p = new ProcessBuilder("java", "-jar", Jar.path().toString(), "build", tmp.resolve("tree").toString(),
                "--name", "big", "--compression", "xz", "-o", out.resolve("big.raw").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (listing(out).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(listing(out)).as("the build writes a temporary image first").singleElement().asString()
                .startsWith(".#big.raw.sysextctl-");
        Thread.sleep(300);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        Thread.sleep(200);
        assertThat(listing(out)).isEmpty();
        assertThat(running("mksquashfs", out.toString())).as("mksquashfs was stopped too").isEmpty();
    }

    /** Command lines of running processes that contain every one of {@code words} (read from /proc). */
    private static List<String> running(String... words) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.filter(p -> p.getFileName().toString().matches("\\d+")).map(p -> {
                try {
                    return Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                } catch (Exception e) {
                    return "";
                }
            }).filter(cmd -> List.of(words).stream().allMatch(cmd::contains)).toList();
        }
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
