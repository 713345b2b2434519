package dev.sysextctl.core.lint;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Every rule id sysextctl reports (docs/cli.md §3): the ids of lint and validation findings, of the converter's
 * findings and of the verdicts of {@code validate}, {@code list}, {@code explain} and merge plans. An id that two
 * checks share (e.g. {@code missing-id}: a lint finding and a compatibility verdict) is one constant.
 * {@link LintRule} gives the contract's lint rules their severity and standard fix.
 */
public enum RuleId {
    // lint rules of the contract (docs/cli.md §3.1, LintRule)
    OUTSIDE_HIERARCHY("outside-hierarchy"),
    OS_RELEASE_IN_IMAGE("os-release-in-image"),
    INVALID_NAME("invalid-name"),
    RELEASE_NAME_MISMATCH("release-name-mismatch"),
    BAD_ARCHITECTURE("bad-architecture"),
    EMPTY_SCOPE("empty-scope"),
    EMPTY_IMAGE("empty-image"),
    UNSAFE_PATH("unsafe-path"),
    USR_SBIN_DIRECTORY("usr-sbin-directory"),
    NON_ROOT_OWNER("non-root-owner"),
    WORLD_WRITABLE("world-writable"),
    SETUID("setuid"),
    DEVICE_NODE("device-node"),
    ABSOLUTE_SYMLINK("absolute-symlink"),
    WANTS_SYMLINK("wants-symlink"),
    ETC_CONTENT("etc-content"),
    ANY_WITHOUT_ARCH("any-without-arch"),

    // further lint findings (docs/cli.md §3.2)
    MISSING_ID("missing-id"),
    UNKNOWN_SCOPE("unknown-scope"),
    OPAQUE_DIRECTORY("opaque-directory"),
    INVALID_RELEASE_VALUE("invalid-release-value"),
    INVALID_VERSION("invalid-version"),
    BROKEN_HARDLINK("broken-hardlink"),
    XATTR_DROPPED("xattr-dropped"),
    UNSUPPORTED_ENTRY("unsupported-entry"),
    PATH_TOO_LONG("path-too-long"),
    RELEASE_REPLACED("release-replaced"),
    FILE_NAME_MISMATCH("file-name-mismatch"),
    IMAGE_DELETION("image-deletion"),

    // the converter's findings (docs/torcx.md §6.2)
    TORCX_DROPPED("torcx-dropped"),
    TORCX_COLLISION("torcx-collision"),
    TORCX_SHADOWING_ENTRY("torcx-shadowing-entry"),
    TORCX_REFERENCE("torcx-reference"),
    TORCX_RUNPATH("torcx-runpath"),
    TORCX_MANIFEST("torcx-manifest"),
    TORCX_NO_MANIFEST("torcx-no-manifest"),
    TORCX_SYSUSERS("torcx-sysusers"),
    TORCX_OPT_CONTENT("torcx-opt-content"),
    TORCX_ARCHITECTURE("torcx-architecture"),

    // compatibility verdicts, in systemd's order (docs/cli.md §3.3, core/compat/CompatibilityRules)
    NO_RELEASE_DATA("no-release-data"),
    SCOPE("scope"),
    ARCHITECTURE("architecture"),
    ANY_OS("any-os"),
    OS_ID("os-id"),
    ROLLING_RELEASE("rolling-release"),
    SYSEXT_LEVEL("sysext-level"),
    CONFEXT_LEVEL("confext-level"),
    MISSING_VERSION_ID("missing-version-id"),
    VERSION_ID("version-id"),
    VERSION_MATCH("version-match"),

    // finding and reading an image (docs/cli.md §3.3: validate and the merger's planner)
    FILE_SUFFIX("file-suffix"),
    NOT_AN_IMAGE("not-an-image"),
    UNSUPPORTED_FORMAT("unsupported-format"),
    NO_RELEASE("no-release"),
    NO_RELEASE_FILE("no-release-file"),
    RELEASE_NOT_UNIQUE("release-not-unique"),
    /** The image could not be read (corrupt, crafted, an oversized release file, an I/O error): nothing checked. */
    UNREADABLE("unreadable"),
    NESTED_LAYER("nested-layer"),
    NO_OS_RELEASE("no-os-release"),
    MASK("mask"),
    SHADOWED("shadowed"),
    FORCE("force");

    private final String id;

    RuleId(String id) {
        this.id = id;
    }

    /** The id as reports and docs spell it. */
    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
