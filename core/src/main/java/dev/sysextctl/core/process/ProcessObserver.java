package dev.sysextctl.core.process;

/**
 * Watches the native tools a {@link ProcessRunner} starts: the command before it starts, its result (exit code,
 * captured stderr) when it ends. The library never prints; {@code cli} shows both with {@code -vv}. Called on the
 * thread that runs the tool; an observer must not throw.
 */
public interface ProcessObserver {
    /** Watches nothing. */
    ProcessObserver NONE = new ProcessObserver() {
    };

    /** {@code command} is about to start (its own argv, without the runner's launcher). */
    default void started(Command command) {
    }

    /** {@code command} ended with {@code result}; not called when it could not start or was stopped. */
    default void finished(Command command, ProcessResult result) {
    }
}
