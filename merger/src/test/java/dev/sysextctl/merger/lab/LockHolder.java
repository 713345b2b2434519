package dev.sysextctl.merger.lab;

import dev.sysextctl.merger.lock.NodeLock;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Holds a node's lock for a while ({@code LockHolder ROOT SECONDS}), printing "locked" once it has it. */
public final class LockHolder {
    private LockHolder() {
    }

    @SuppressWarnings("try")
    public static void main(String[] args) throws Exception {
        Node node = Node.open(Path.of(args[0]), null, Map.of());
        try (NodeLock lock = NodeLock.acquire(node, "test-holder", Duration.ofSeconds(5), Clock.systemUTC())) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]) * 1000);
        }
    }
}
