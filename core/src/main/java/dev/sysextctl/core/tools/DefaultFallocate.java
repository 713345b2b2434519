package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;

/** {@code fallocate --insert-range} through the {@link ProcessRunner}. */
public final class DefaultFallocate implements Fallocate {
    public static final String PROGRAM = "fallocate";
    private final ProcessRunner runner;

    public DefaultFallocate(ProcessRunner runner) {
        this.runner = runner;
    }

    public static List<String> insertRangeArgv(Path file, long offset, long length) {
        return List.of(PROGRAM, "--insert-range", "--offset=" + offset, "--length=" + length, file.toString());
    }

    @Override
    public void insertRange(Path file, long offset, long length) throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(insertRangeArgv(file, offset, length)));
        if (!r.succeeded()) {
            String err = r.stderr().strip();
            throw new OperationFailedException("fallocate --insert-range on " + file + " failed: "
                    + (err.isEmpty() ? "exit " + r.exitCode() : err.lines().findFirst().orElse(""))
                    + "; the file system may not support it");
        }
    }
}
