package dev.sysextctl.core.error;

/** An operation failed: I/O, a native tool, a mount. Exit code 1. */
public class OperationFailedException extends SysextctlException {
    private static final long serialVersionUID = 1L;

    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
