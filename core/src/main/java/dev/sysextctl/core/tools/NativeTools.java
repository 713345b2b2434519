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
    private final MkfsErofs mkfsErofs;
    private final FsckErofs fsckErofs;
    private final SpecialFiles specialFiles;
    private final Checksums checksums;
    private final SystemdSysext systemdSysext;
    private final Mounter mounter;
    private final Systemctl systemctl;

    public NativeTools(ProcessRunner runner) {
        this.runner = runner;
        this.mksquashfs = new DefaultMksquashfs(runner, versions);
        this.unsquashfs = new DefaultUnsquashfs(runner, versions);
        this.mkfsErofs = new DefaultMkfsErofs(runner, versions);
        this.fsckErofs = new DefaultFsckErofs(runner, versions);
        this.specialFiles = new DefaultSpecialFiles(runner);
        this.checksums = new DefaultChecksums(runner);
        this.systemdSysext = new DefaultSystemdSysext(runner, versions);
        this.mounter = new DefaultMounter(runner);
        this.systemctl = new DefaultSystemctl(runner);
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

    public MkfsErofs mkfsErofs() {
        return mkfsErofs;
    }

    public FsckErofs fsckErofs() {
        return fsckErofs;
    }

    public SpecialFiles specialFiles() {
        return specialFiles;
    }

    public Checksums checksums() {
        return checksums;
    }

    public SystemdSysext systemdSysext() {
        return systemdSysext;
    }

    public Mounter mounter() {
        return mounter;
    }

    /** The running service manager (PID 1). */
    public Systemctl systemctl() {
        return systemctl;
    }
}
