package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;

/**
 * Runs native tools. The one production implementation ({@link ZtProcessRunner}) is the only place that
 * knows how processes are started; tests substitute a recording runner and assert the exact argv.
 */
public interface ProcessRunner {
    /**
     * Runs the command to completion and returns its result whatever the exit code.
     *
     * @throws ToolNotFoundException when the program is not installed
     * @throws OperationFailedException when it cannot be started, times out, or its stdin writer fails
     */
    ProcessResult run(Command command) throws OperationFailedException;

    /** Like {@link #run}, but a non-zero exit is an {@link CommandFailedException}. */
    default ProcessResult runChecked(Command command) throws OperationFailedException {
        ProcessResult r = run(command);
        if (!r.succeeded()) {
            throw new CommandFailedException(r);
        }
        return r;
    }

    /**
     * Starts the command and returns at once, for a conversation over stdin/stdout. The command's timeout
     * does not apply; the caller bounds each read and the final wait.
     *
     * @throws ToolNotFoundException when the program is not installed
     */
    default RunningProcess start(Command command) throws OperationFailedException {
        throw new OperationFailedException("this process runner cannot start interactive processes ("
                + command.program() + "); use the system runner");
    }
}
