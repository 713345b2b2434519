package dev.sysextctl.core.lint;

/**
 * The lint rules of the contract (docs/cli.md §3.1), with their severity and the standard fix; their ids come from
 * {@link RuleId}.
 */
public enum LintRule {
    OUTSIDE_HIERARCHY(RuleId.OUTSIDE_HIERARCHY, Severity.ERROR,
            "move it under usr/ or opt/, or leave it out: systemd-sysext merges only /usr and /opt"),
    OS_RELEASE_IN_IMAGE(RuleId.OS_RELEASE_IN_IMAGE, Severity.ERROR,
            "remove usr/lib/os-release from the image: systemd-sysext refuses to merge anything while it is present"),
    INVALID_NAME(RuleId.INVALID_NAME, Severity.ERROR,
            "choose a name without '/', control characters or a leading '.#', at most 255 bytes of valid UTF-8"),
    RELEASE_NAME_MISMATCH(RuleId.RELEASE_NAME_MISMATCH, Severity.ERROR,
            "remove the foreign extension-release file or build with --name matching it"),
    BAD_ARCHITECTURE(RuleId.BAD_ARCHITECTURE, Severity.ERROR,
            "use a systemd architecture name such as x86-64 or arm64 (or _any)"),
    EMPTY_SCOPE(RuleId.EMPTY_SCOPE, Severity.ERROR,
            "drop SYSEXT_SCOPE or give it 'system', 'initrd' and/or 'portable'"),
    EMPTY_IMAGE(RuleId.EMPTY_IMAGE, Severity.ERROR,
            "add content under usr/ or opt/"),
    UNSAFE_PATH(RuleId.UNSAFE_PATH, Severity.ERROR,
            "rebuild the archive with relative paths inside the tree and links that stay inside it"),
    USR_SBIN_DIRECTORY(RuleId.USR_SBIN_DIRECTORY, Severity.WARNING,
            "install into usr/bin instead: a real usr/sbin hides the host's sbin -> bin link on merged-usr systems"),
    NON_ROOT_OWNER(RuleId.NON_ROOT_OWNER, Severity.WARNING,
            "build without --keep-ownership, or chown the files to root"),
    WORLD_WRITABLE(RuleId.WORLD_WRITABLE, Severity.WARNING,
            "remove the world-writable bit (chmod o-w)"),
    SETUID(RuleId.SETUID, Severity.WARNING,
            "drop the setuid/setgid bit unless the program really needs it"),
    DEVICE_NODE(RuleId.DEVICE_NODE, Severity.WARNING,
            "remove device nodes, FIFOs, sockets and whiteouts from the image"),
    ABSOLUTE_SYMLINK(RuleId.ABSOLUTE_SYMLINK, Severity.WARNING,
            "point the link at a path under /usr or /opt, or make it relative"),
    WANTS_SYMLINK(RuleId.WANTS_SYMLINK, Severity.WARNING,
            "replace the .wants/ link with a drop-in TARGET.d/10-UNIT.conf containing [Unit] Upholds=UNIT"),
    ETC_CONTENT(RuleId.ETC_CONTENT, Severity.WARNING,
            "build it as a confext of its own (sysextctl build --class confext), or ship it under usr/ (e.g. "
                    + "usr/share/factory/etc) with a tmpfiles.d rule"),
    ANY_WITHOUT_ARCH(RuleId.ANY_WITHOUT_ARCH, Severity.WARNING,
            "set --arch (e.g. x86-64): ID=_any without ARCHITECTURE merges on every architecture"),
    OUTSIDE_ETC(RuleId.OUTSIDE_ETC, Severity.ERROR,
            "move it under etc/, or leave it out: systemd-confext merges only /etc"),
    USR_CONTENT(RuleId.USR_CONTENT, Severity.WARNING,
            "build it as a sysext of its own (sysextctl build --class sysext): systemd-confext merges only /etc"),
    MISPLACED_RELEASE(RuleId.MISPLACED_RELEASE, Severity.ERROR,
            "build with the --class the file belongs to, or remove it from the source"),
    OS_RELEASE_IN_ETC(RuleId.OS_RELEASE_IN_ETC, Severity.ERROR,
            "remove etc/os-release from the confext: merged, it replaces the host's os-release");

    private final RuleId id;
    private final Severity severity;
    private final String fix;

    LintRule(RuleId id, Severity severity, String fix) {
        this.id = id;
        this.severity = severity;
        this.fix = fix;
    }

    public String id() {
        return id.id();
    }

    public RuleId ruleId() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String fix() {
        return fix;
    }

    public Finding finding(String path, String message) {
        return new Finding(id.id(), severity, path, message, fix);
    }

    public Finding finding(String path, String message, String specificFix) {
        return new Finding(id.id(), severity, path, message, specificFix);
    }
}
