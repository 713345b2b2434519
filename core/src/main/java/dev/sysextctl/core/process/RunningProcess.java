package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;
import java.time.Duration;

/**
 * A process that keeps running while the caller talks to it: text goes to its stdin, its stdout is read line
 * by line, its stderr is collected. Used for helpers that must stay alive between steps (a shell inside a
 * private mount namespace whose mounts the caller reads through {@code /proc/PID/root}).
 */
public interface RunningProcess extends AutoCloseable {
    /** The process id (the helper's own pid, so {@code /proc/PID/root} shows its mount namespace). */
    long pid();

    /** Writes {@code text} to the process's stdin and flushes it. */
    void write(String text) throws OperationFailedException;

    /**
     * The next line of stdout, waiting at most {@code timeout}; null at end of stream.
     *
     * @throws OperationFailedException when nothing arrives in time (the process is then stopped)
     */
    String readLine(Duration timeout) throws OperationFailedException;

    /** What the process wrote to stderr so far. */
    String stderr();

    /** Closes stdin and waits for the process to exit; stops it after {@code timeout}. */
    ProcessResult finish(Duration timeout) throws OperationFailedException;

    /** Stops the process if it is still running. */
    @Override
    void close();
}
