package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;

/** A native tool exited non-zero. The message carries the program, its exit code and its last error line. */
public class CommandFailedException extends OperationFailedException {
    private static final long serialVersionUID = 1L;
    private final transient ProcessResult result;

    public CommandFailedException(ProcessResult result) {
        this(result, null);
    }

    public CommandFailedException(ProcessResult result, String whatToDo) {
        super(result.argv().get(0) + " failed (exit " + result.exitCode() + "): " + result.lastErrorLine()
                + (whatToDo == null ? "" : "; " + whatToDo));
        this.result = result;
    }

    public ProcessResult result() {
        return result;
    }
}
