package dev.sysextctl.cli;

import dev.sysextctl.merger.engine.EngineKind;
import picocli.CommandLine.Option;

/** {@code --engine auto|systemd|native}. */
public final class EngineOptions {
    @Option(names = "--engine", paramLabel = "ENGINE", converter = EnumValues.Engines.class,
            completionCandidates = EnumValues.Engines.class, description = "${COMPLETION-CANDIDATES}: auto (default: "
            + "systemd-sysext where it can do the job, else native), systemd (the host's systemd-sysext) or native "
            + "(sysextctl's own mounts).")
    EngineKind engine = EngineKind.AUTO;

    EngineKind kind() {
        return engine;
    }
}
