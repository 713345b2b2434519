package dev.sysextctl.core.tools;

import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.ZtProcessRunner;

/**
 * The native tools of one sysextctl run, sharing a process runner and a version cache so that each tool's
 * version is probed at most once. Tests build one around a recording runner.
 */
public final class NativeTools {
    private final ProcessRunner runner;
    private final ToolVersionCache versions = new ToolVersionCache();
    private final Mksquashfs mksquashfs;
    private final Unsquashfs unsquashfs;
    private final SystemdSysext systemdSysext;
    private final Mounter mounter;

    public NativeTools(ProcessRunner runner) {
        this.runner = runner;
        this.mksquashfs = new DefaultMksquashfs(runner, versions);
        this.unsquashfs = new DefaultUnsquashfs(runner, versions);
        this.systemdSysext = new DefaultSystemdSysext(runner, versions);
        this.mounter = new DefaultMounter(runner);
    }

    /** The tools of this machine, started through zt-exec. */
    public static NativeTools system() {
        return new NativeTools(new ZtProcessRunner());
    }

    public ProcessRunner runner() {
        return runner;
    }

    public ToolVersionCache versions() {
        return versions;
    }

    public Mksquashfs mksquashfs() {
        return mksquashfs;
    }

    public Unsquashfs unsquashfs() {
        return unsquashfs;
    }

    public SystemdSysext systemdSysext() {
        return systemdSysext;
    }

    public Mounter mounter() {
        return mounter;
    }
}
