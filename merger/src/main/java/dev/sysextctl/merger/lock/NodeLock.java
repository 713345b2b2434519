package dev.sysextctl.merger.lock;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Serialises the commands that change a node: an exclusive lock on {@code /run/sysextctl.lock} inside the root.
 * The holder writes its pid, command and start time into the file, so a second command that gives up waiting
 * can say who holds it. The file stays (removing lock files races); the lock goes with the process.
 */
public final class NodeLock implements AutoCloseable {
    public static final String PATH = "/run/sysextctl.lock";
    private static final long POLL_MILLIS = 100;
    private final FileChannel channel;
    private final FileLock lock;

    private NodeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, waiting up to {@code wait}. */
    public static NodeLock acquire(Node node, String command, Duration wait, Clock clock)
            throws OperationFailedException {
        Path file = node.resolve(PATH);
        FileChannel ch;
        try {
            Files.createDirectories(file.getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new OperationFailedException(command + " needs to be privileged: it mounts images and takes the "
                    + "lock " + PATH + ", which this user may not write; run it as root (e.g. with sudo)");
        } catch (IOException e) {
            throw new OperationFailedException("cannot open the lock " + file + ": " + e.getMessage()
                    + "; run as root, or check that " + file.getParent() + " is writable");
        }
        Instant deadline = clock.instant().plus(wait);
        try {
            for (;;) {
                FileLock l;
                try {
                    l = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    l = null;
                }
                if (l != null) {
                    String text = "pid=" + ProcessHandle.current().pid() + "\ncommand=" + command + "\nsince="
                            + clock.instant() + "\n";
                    // not forced to disk: the note is for a live process to read (a lock dies with its holder, and
                    // /run is empty after a reboot); an fsync here cost a merge 0.2 s on a busy disk
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
                    return new NodeLock(ch, l);
                }
                if (!clock.instant().isBefore(deadline)) {
                    String holder = holder(file);
                    ch.close();
                    throw new OperationFailedException("another sysextctl (" + holder + ") is changing this node "
                            + "and still holds " + file + " after " + wait.toSeconds() + " s; wait for it to "
                            + "finish and run the command again");
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new OperationFailedException("cannot lock " + file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(ch);
            throw new OperationFailedException("interrupted while waiting for " + file + "; run the command again");
        }
    }

    /** "pid 123, 'merge', since …" from the lock file (what the holder wrote). */
    static String holder(Path file) {
        try {
            String pid = null;
            String command = null;
            String since = null;
            for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (l.startsWith("pid=")) {
                    pid = l.substring(4);
                } else if (l.startsWith("command=")) {
                    command = l.substring(8);
                } else if (l.startsWith("since=")) {
                    since = l.substring(6);
                }
            }
            if (pid == null) {
                return "holder unknown";
            }
            return "pid " + pid + (command != null ? ", '" + command + "'" : "") + (since != null ? ", since " + since
                    : "");
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
