package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.RunningProcess;
import java.nio.file.Path;
import java.time.Duration;

/** {@link Mounter} with util-linux's unshare and umount through the {@link ProcessRunner}. */
public final class DefaultMounter implements Mounter {
    private final ProcessRunner runner;

    public DefaultMounter(ProcessRunner runner) {
        this.runner = runner;
    }

    @Override
    public RunningProcess namespaceShell(Propagation propagation) throws OperationFailedException {
        return runner.start(namespaceShellCommand(propagation));
    }

    static Command namespaceShellCommand(Propagation propagation) {
        return Command.of("unshare", "--mount", "--propagation", propagation.flag(), "/bin/sh", "-s")
                .withEnvironment("LC_ALL", "C");
    }

    @Override
    public void unmountDetached(Path mountPoint) throws OperationFailedException {
        ProcessResult r = runner.run(unmountCommand(mountPoint));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "cannot unmount " + mountPoint);
        }
    }

    static Command unmountCommand(Path mountPoint) {
        return Command.of("umount", "--lazy", mountPoint.toString()).withTimeout(Duration.ofMinutes(2));
    }
}
