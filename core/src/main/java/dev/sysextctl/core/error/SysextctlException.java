package dev.sysextctl.core.error;

/**
 * Base of every failure the library reports. The message is one line that names the problem and what to do
 * about it; the CLI prints it as is and maps the subclass to an exit code.
 */
public abstract class SysextctlException extends Exception {
    private static final long serialVersionUID = 1L;

    protected SysextctlException(String message) {
        super(message);
    }

    protected SysextctlException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The process exit code of the contract (1 operation failed, 2 usage, 3 checks refused). */
    public abstract int exitCode();
}
