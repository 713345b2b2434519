package dev.sysextctl.core.tools;

import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.ZtProcessRunner;

/**
 * The native tools of one sysextctl run, sharing a process runner and a version cache so that each tool's
 * version is probed at most once. Tests build one around a recording runner.
 */
public final class NativeTools {
    private final ProcessRunner runner;
    private final ToolVersionCache versions;
    private Mksquashfs mksquashfs;
    private Unsquashfs unsquashfs;
    private MkfsErofs mkfsErofs;
    private SpecialFiles specialFiles;
    private Checksums checksums;
    private SystemdSysext systemdSysext;
    private SystemdSysext systemdConfext;
    private Mounter mounter;
    private Systemctl systemctl;
    private Openssl openssl;
    private Veritysetup veritysetup;
    private Fallocate fallocate;

    /** Each tool is made when first asked for: a command loads the classes of the tools it uses, no others. */
    public NativeTools(ProcessRunner runner) {
        this(runner, new ToolVersionCache());
    }

    public NativeTools(ProcessRunner runner, ToolVersionCache versions) {
        this.runner = runner;
        this.versions = versions;
    }

    /**
     * The tools of this machine, started through zt-exec; what their probes answer is remembered across runs
     * ({@link ProbeMemory#ofThisUser()}).
     */
    public static NativeTools system() {
        return new NativeTools(new ZtProcessRunner(), new ToolVersionCache(ProbeMemory.ofThisUser()));
    }

    public ProcessRunner runner() {
        return runner;
    }

    public ToolVersionCache versions() {
        return versions;
    }

    public synchronized Mksquashfs mksquashfs() {
        if (mksquashfs == null) {
            mksquashfs = new DefaultMksquashfs(runner, versions);
        }
        return mksquashfs;
    }

    public synchronized Unsquashfs unsquashfs() {
        if (unsquashfs == null) {
            unsquashfs = new DefaultUnsquashfs(runner, versions);
        }
        return unsquashfs;
    }

    public synchronized MkfsErofs mkfsErofs() {
        if (mkfsErofs == null) {
            mkfsErofs = new DefaultMkfsErofs(runner, versions);
        }
        return mkfsErofs;
    }

    public synchronized SpecialFiles specialFiles() {
        if (specialFiles == null) {
            specialFiles = new DefaultSpecialFiles(runner);
        }
        return specialFiles;
    }

    public synchronized Checksums checksums() {
        if (checksums == null) {
            checksums = new DefaultChecksums(runner);
        }
        return checksums;
    }

    public synchronized SystemdSysext systemdSysext() {
        if (systemdSysext == null) {
            systemdSysext = new DefaultSystemdSysext(runner, versions);
        }
        return systemdSysext;
    }

    /** {@code systemd-confext} (systemd 254+): the same interface as {@link #systemdSysext()}, for confexts. */
    public synchronized SystemdSysext systemdConfext() {
        if (systemdConfext == null) {
            systemdConfext = new DefaultSystemdSysext(runner, versions, dev.sysextctl.core.image.ExtensionClass.CONFEXT.systemdTool());
        }
        return systemdConfext;
    }

    public synchronized Mounter mounter() {
        if (mounter == null) {
            mounter = new DefaultMounter(runner);
        }
        return mounter;
    }

    /** The running service manager (PID 1). */
    public synchronized Systemctl systemctl() {
        if (systemctl == null) {
            systemctl = new DefaultSystemctl(runner);
        }
        return systemctl;
    }

    public synchronized Openssl openssl() {
        if (openssl == null) {
            openssl = new DefaultOpenssl(runner);
        }
        return openssl;
    }

    public synchronized Veritysetup veritysetup() {
        if (veritysetup == null) {
            veritysetup = new DefaultVeritysetup(runner);
        }
        return veritysetup;
    }

    public synchronized Fallocate fallocate() {
        if (fallocate == null) {
            fallocate = new DefaultFallocate(runner);
        }
        return fallocate;
    }
}
