package dev.sysextctl.core.error;

import dev.sysextctl.core.lint.Finding;
import java.util.List;

/**
 * Checks refused the input: lint errors, an incompatible image, a validation that said no. Exit code 3. The
 * findings that led to the refusal travel with the exception so that callers can still report all of them.
 */
public class RefusedException extends SysextctlException {
    private static final long serialVersionUID = 1L;
    private final transient List<Finding> findings;

    public RefusedException(String message) {
        this(message, List.of());
    }

    public RefusedException(String message, List<Finding> findings) {
        super(message);
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }

    @Override
    public int exitCode() {
        return 3;
    }
}
