package dev.sysextctl.core.compat;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import java.util.Arrays;
import java.util.List;

/**
 * systemd's {@code extension_release_validate()} (docs/compatibility.md §2.4), in its exact order, for 252 and
 * for 257+ (reworded messages, ID_LIKE), for both classes of image: a confext is matched with {@code CONFEXT_SCOPE}
 * and its {@code CONFEXT_LEVEL} against the target's {@code CONFEXT_LEVEL}, otherwise by the same rules and in the
 * same words (docs/compatibility.md §2.7). Rule ids name the branch that decided:
 * <ul>
 * <li>refusals: {@code no-release-data}, {@code scope}, {@code architecture}, {@code missing-id},
 * {@code os-id}, {@code sysext-level} (a confext: {@code confext-level}), {@code missing-version-id},
 * {@code version-id}</li>
 * <li>acceptances: {@code any-os}, {@code rolling-release}, {@code version-match}</li>
 * </ul>
 */
public final class CompatibilityRules {
    private static final String NO_RELEASE_DATA = RuleId.NO_RELEASE_DATA.id();
    private static final String SCOPE = RuleId.SCOPE.id();
    private static final String ARCHITECTURE = RuleId.ARCHITECTURE.id();
    private static final String MISSING_ID = RuleId.MISSING_ID.id();
    private static final String ANY_OS = RuleId.ANY_OS.id();
    private static final String OS_ID = RuleId.OS_ID.id();
    private static final String ROLLING_RELEASE = RuleId.ROLLING_RELEASE.id();
    private static final String MISSING_VERSION_ID = RuleId.MISSING_VERSION_ID.id();
    private static final String VERSION_ID = RuleId.VERSION_ID.id();
    private static final String VERSION_MATCH = RuleId.VERSION_MATCH.id();

    private CompatibilityRules() {
    }

    /** A sysext's verdict. */
    public static Verdict validate(String name, ReleaseFile ext, TargetOs host, SystemdVersion v) {
        return validate(name, ext, host, v, ExtensionClass.SYSEXT);
    }

    /**
     * The verdict on an image of class {@code cls}. systemd-confext exists from 254 on and words its messages as 257
     * does, so a confext always gets 257's wording.
     */
    public static Verdict validate(String name, ReleaseFile ext, TargetOs host, SystemdVersion v,
            ExtensionClass cls) {
        boolean newWording = v.atLeast(257) || cls == ExtensionClass.CONFEXT;
        String scopeKey = cls.scopeKey();
        String levelKey = cls.levelKey();
        String hostLevel = host.level(cls);
        if (ext.isEmpty()) {
            return Verdict.refuse(NO_RELEASE_DATA, newWording
                    ? "Extension '" + name + "' carries no release data, ignoring."
                    : "Extension '" + name + "' carries no extension-release data, ignoring extension.",
                    "the image has no " + (cls == ExtensionClass.SYSEXT ? "extension-release." + name
                            : cls.releasePath(name)) + " (or it is empty)");
        }

        List<String> scopes = ext.has(scopeKey)
                ? splitWhitespace(ext.get(scopeKey))
                : List.of("system", "portable");
        if (!scopes.contains(host.scope())) {
            return Verdict.refuse(SCOPE, newWording
                    ? "Extension '" + name + "' is not suitable for scope " + host.scope() + ", ignoring."
                    : "Extension '" + name + "' is not suitable for scope " + host.scope()
                            + ", ignoring extension.",
                    ext.has(scopeKey)
                            ? scopeKey + "='" + ext.get(scopeKey) + "' does not include '" + host.scope() + "'"
                            : "without " + scopeKey + " an extension is for 'system portable', not '" + host.scope()
                                    + "'");
        }

        String arch = ext.get(ReleaseKeys.ARCHITECTURE);
        if (!arch.isEmpty() && !arch.equals(ReleaseKeys.ANY) && !arch.equals(host.architecture())) {
            return Verdict.refuse(ARCHITECTURE, "Extension '" + name + "' is for architecture '" + arch
                    + "', but deployed on top of '" + host.architecture() + "'.",
                    "ARCHITECTURE=" + arch + " is not the target's " + host.architecture()
                            + " (systemd compares exact systemd names, e.g. x86-64, not x86_64 or amd64)");
        }

        String id = ext.get(ReleaseKeys.ID);
        if (id.isEmpty()) {
            return Verdict.refuse(MISSING_ID, "Extension '" + name + "' does not contain ID in "
                    + (newWording ? "release file" : "extension-release")
                    + " but requested to match '" + host.id() + "' or be '_any'",
                    "the extension-release has no ID= (set ID=" + host.id() + " or ID=_any)");
        }
        if (id.equals(ReleaseKeys.ANY)) {
            return Verdict.accept(ANY_OS, "Extension '" + name + "' matches '_any' OS.",
                    "ID=_any matches every OS, without version checks");
        }
        boolean idLike = v.matchesIdLike() && host.idLike().contains(id);
        if (!id.equals(host.id()) && !idLike) {
            return Verdict.refuse(OS_ID, "Extension '" + name + "' is for OS '" + id + "', but deployed on top of '"
                    + host.id() + "'.", "ID=" + id + " is not the target's ID=" + host.id()
                    + (v.matchesIdLike() && !host.idLike().isEmpty()
                            ? " nor in its ID_LIKE=" + String.join(" ", host.idLike()) : "")
                    + " (case-sensitive)");
        }
        if (host.versionId().isEmpty() && hostLevel.isEmpty()) {
            return Verdict.accept(ROLLING_RELEASE, "No version info on the host (rolling release?), but ID in "
                    + name + " matched.", "the target has neither VERSION_ID nor " + levelKey + "; the ID matched");
        }
        String level = ext.get(levelKey);
        if (!hostLevel.isEmpty() && !level.isEmpty()) {
            if (!level.equals(hostLevel)) {
                String rule = cls == ExtensionClass.CONFEXT ? RuleId.CONFEXT_LEVEL.id() : RuleId.SYSEXT_LEVEL.id();
                return Verdict.refuse(rule, newWording
                        ? "Extension '" + name + "' is for API level '" + level + "', but running on API level '"
                                + hostLevel + "'"
                        : "Extension '" + name + "' is for sysext API level '" + level
                                + "', but running on sysext API level '" + hostLevel + "'",
                        levelKey + "=" + level + " is not the target's " + levelKey + "=" + hostLevel);
            }
        } else if (!host.versionId().isEmpty()) {
            String versionId = ext.get(ReleaseKeys.VERSION_ID);
            if (versionId.isEmpty()) {
                return Verdict.refuse(MISSING_VERSION_ID, "Extension '" + name + "' does not contain VERSION_ID in "
                        + (newWording ? "release file" : "extension-release") + " but requested to match '"
                        + host.versionId() + "'",
                        "the extension has no VERSION_ID= and " + (level.isEmpty()
                                ? "no " + levelKey + "=" : "the target has no " + levelKey
                                        + " to compare its level with")
                        + " (set VERSION_ID=" + host.versionId() + ", a matching " + levelKey + ", or ID=_any)");
            }
            if (!versionId.equals(host.versionId())) {
                return Verdict.refuse(VERSION_ID, "Extension '" + name + "' is for OS '" + versionId
                        + "', but deployed on top of '" + host.versionId() + "'.",
                        "VERSION_ID=" + versionId + " is not the target's VERSION_ID=" + host.versionId()
                                + " (compared as plain strings)");
            }
        }
        String basis;
        if (!hostLevel.isEmpty() && !level.isEmpty()) {
            basis = "ID and " + levelKey + " match the target";
        } else if (!host.versionId().isEmpty()) {
            basis = "ID and VERSION_ID match the target";
        } else {
            basis = "ID matches; the target has " + levelKey + " but no VERSION_ID and the extension no " + levelKey
                    + ", so systemd compares nothing more";
        }
        return Verdict.accept(VERSION_MATCH, "Version info of extension '" + name + "' matches host.", basis);
    }

    static List<String> splitWhitespace(String s) {
        String t = s.trim();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("[ \t\n\r]+"));
    }
}
