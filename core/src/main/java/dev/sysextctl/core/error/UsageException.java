package dev.sysextctl.core.error;

/** The caller asked for something that cannot be done as asked (bad option value, missing argument). Exit code 2. */
public class UsageException extends SysextctlException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
