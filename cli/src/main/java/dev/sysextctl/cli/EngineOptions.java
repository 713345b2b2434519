package dev.sysextctl.cli;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.merger.engine.EngineKind;
import picocli.CommandLine.Option;

/** {@code --engine auto|systemd|native}. */
public final class EngineOptions {
    @Option(names = "--engine", paramLabel = "ENGINE", description = "auto (default: systemd-sysext where it can do "
            + "the job, else native), systemd (the host's systemd-sysext) or native (sysextctl's own mounts).")
    String engine = "auto";

    EngineKind kind() throws UsageException {
        return EngineKind.parse(engine);
    }
}
