package dev.sysextctl.merger.discovery;

/** What discovery does with a symlink in a search directory (docs/compatibility.md §1.2). */
public enum SymlinkPolicy {
    /** Follow it, chased inside the root (systemd without --root, systemd 259+, and sysextctl). */
    FOLLOW_INSIDE_ROOT,
    /** Skip it (systemd 252–258 with --root: {@code fstatat(AT_SYMLINK_NOFOLLOW)} sees a symlink). */
    SKIP
}
