package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;

/**
 * The code feeding a process's stdin failed. The process was stopped; {@link #getCause()} is what the
 * {@link StdinSource} threw, so callers can recover their own exception types from it.
 */
public class StdinFailedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;

    public StdinFailedException(String program, Throwable cause) {
        super("feeding " + program + " failed: " + cause.getMessage(), cause);
    }
}
