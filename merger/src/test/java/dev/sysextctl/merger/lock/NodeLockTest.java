package dev.sysextctl.merger.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.LockHolder;
import dev.sysextctl.merger.node.Node;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLockTest {
    @TempDir
    Path root;

    @Test
    @SuppressWarnings("try")
    void holderWritesWhoItIsAndReleasesOnClose() throws Exception {
        Node n = Node.open(root, null, Map.of());
        try (NodeLock l = NodeLock.acquire(n, "merge", Duration.ofSeconds(1), Clock.systemUTC())) {
            String text = Files.readString(root.resolve("run/sysextctl.lock"));
            assertThat(text).contains("pid=" + ProcessHandle.current().pid()).contains("command=merge");
        }
        try (NodeLock again = NodeLock.acquire(n, "refresh", Duration.ofSeconds(1), Clock.systemUTC())) {
            assertThat(Files.readString(root.resolve("run/sysextctl.lock"))).contains("command=refresh");
        }
    }

    @Test
    void anotherProcessWaitsBrieflyThenFailsNamingTheHolder() throws Exception {
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", Lab.classpath(), LockHolder.class.getName(), root.toString(), "30")).redirectErrorStream(true)
                .start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream()))) {
            assertThat(r.readLine()).isEqualTo("locked");
            Node n = Node.open(root, null, Map.of());
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> NodeLock.acquire(n, "merge", Duration.ofMillis(500), Clock.systemUTC()))
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("another sysextctl (pid " + holder.pid() + ", 'test-holder', since ")
                    .hasMessageContaining("run/sysextctl.lock");
            assertThat(System.nanoTime() - t0).as("it waited").isGreaterThanOrEqualTo(400_000_000L);
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
