package dev.sysextctl.core.lint;

/** The lint rules of the contract (docs/cli.md §3.1), with their severity and the standard fix. */
public enum LintRule {
    OUTSIDE_HIERARCHY("outside-hierarchy", Severity.ERROR,
            "move it under usr/ or opt/, or leave it out: systemd-sysext merges only /usr and /opt"),
    OS_RELEASE_IN_IMAGE("os-release-in-image", Severity.ERROR,
            "remove usr/lib/os-release from the image: systemd-sysext refuses to merge anything while it is present"),
    INVALID_NAME("invalid-name", Severity.ERROR,
            "choose a name without '/', control characters or a leading '.#', at most 255 bytes of valid UTF-8"),
    RELEASE_NAME_MISMATCH("release-name-mismatch", Severity.ERROR,
            "remove the foreign extension-release file or build with --name matching it"),
    BAD_ARCHITECTURE("bad-architecture", Severity.ERROR,
            "use a systemd architecture name such as x86-64 or arm64 (or _any)"),
    EMPTY_SCOPE("empty-scope", Severity.ERROR,
            "drop SYSEXT_SCOPE or give it 'system', 'initrd' and/or 'portable'"),
    EMPTY_IMAGE("empty-image", Severity.ERROR,
            "add content under usr/ or opt/"),
    UNSAFE_PATH("unsafe-path", Severity.ERROR,
            "rebuild the archive with relative paths inside the tree and links that stay inside it"),
    USR_SBIN_DIRECTORY("usr-sbin-directory", Severity.WARNING,
            "install into usr/bin instead: a real usr/sbin hides the host's sbin -> bin link on merged-usr systems"),
    NON_ROOT_OWNER("non-root-owner", Severity.WARNING,
            "build without --keep-ownership, or chown the files to root"),
    WORLD_WRITABLE("world-writable", Severity.WARNING,
            "remove the world-writable bit (chmod o-w)"),
    SETUID("setuid", Severity.WARNING,
            "drop the setuid/setgid bit unless the program really needs it"),
    DEVICE_NODE("device-node", Severity.WARNING,
            "remove device nodes, FIFOs, sockets and whiteouts from the image"),
    ABSOLUTE_SYMLINK("absolute-symlink", Severity.WARNING,
            "point the link at a path under /usr or /opt, or make it relative"),
    WANTS_SYMLINK("wants-symlink", Severity.WARNING,
            "replace the .wants/ link with a drop-in TARGET.d/10-UNIT.conf containing [Unit] Upholds=UNIT"),
    ETC_CONTENT("etc-content", Severity.WARNING,
            "ship it in a confext, or under usr/ (e.g. usr/share/factory/etc) with a tmpfiles.d rule"),
    ANY_WITHOUT_ARCH("any-without-arch", Severity.WARNING,
            "set --arch (e.g. x86-64): ID=_any without ARCHITECTURE merges on every architecture");

    private final String id;
    private final Severity severity;
    private final String fix;

    LintRule(String id, Severity severity, String fix) {
        this.id = id;
        this.severity = severity;
        this.fix = fix;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String fix() {
        return fix;
    }

    public Finding finding(String path, String message) {
        return new Finding(id, severity, path, message, fix);
    }

    public Finding finding(String path, String message, String specificFix) {
        return new Finding(id, severity, path, message, specificFix);
    }
}
