package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessRunner;

/**
 * A native tool run through the {@link ProcessRunner}, whose version is probed once per {@link ToolVersionCache}
 * (shared by every wrapper of one {@link NativeTools}).
 */
abstract class ProbedTool {
    protected final ProcessRunner runner;
    protected final ToolVersionCache versions;
    private final ToolVersionProbe probe;

    ProbedTool(ProcessRunner runner, ToolVersionCache versions, ToolVersionProbe probe) {
        this.runner = runner;
        this.versions = versions;
        this.probe = probe;
    }

    /** The tool's version ({@code 4.5.1}); probed on first use. */
    public String version() throws OperationFailedException {
        return probe.version(runner, versions);
    }
}
