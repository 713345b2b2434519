package dev.sysextctl.core.compat;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import java.util.Arrays;
import java.util.List;

/**
 * What an extension is matched against: the target OS's os-release fields, its architecture and the scope
 * ({@code system} or {@code initrd}) the merge runs in (docs/compatibility.md §2.3). A sysext is matched against the
 * target's {@code SYSEXT_LEVEL}, a confext against its {@code CONFEXT_LEVEL} ({@link #level}).
 */
public record TargetOs(String id, List<String> idLike, String versionId, String sysextLevel, String confextLevel,
        String architecture, String scope) {
    public static final String SCOPE_SYSTEM = "system";
    public static final String SCOPE_INITRD = "initrd";

    public TargetOs {
        id = id == null ? "" : id;
        idLike = idLike == null ? List.of() : List.copyOf(idLike);
        versionId = versionId == null ? "" : versionId;
        sysextLevel = sysextLevel == null ? "" : sysextLevel;
        confextLevel = confextLevel == null ? "" : confextLevel;
        architecture = architecture == null || architecture.isEmpty() ? Architecture.host() : architecture;
        scope = scope == null || scope.isEmpty() ? SCOPE_SYSTEM : scope;
    }

    /** A target without {@code CONFEXT_LEVEL}. */
    public TargetOs(String id, List<String> idLike, String versionId, String sysextLevel, String architecture,
            String scope) {
        this(id, idLike, versionId, sysextLevel, "", architecture, scope);
    }

    /** From an os-release file, on this machine's architecture, in the system scope. */
    public static TargetOs fromOsRelease(ReleaseFile osRelease) {
        return fromOsRelease(osRelease, null, null);
    }

    public static TargetOs fromOsRelease(ReleaseFile osRelease, String architecture, String scope) {
        String like = osRelease.get(ReleaseKeys.ID_LIKE).trim();
        List<String> idLike = like.isEmpty() ? List.of() : Arrays.asList(like.split("[ \t\n\r]+"));
        return new TargetOs(osRelease.get(ReleaseKeys.ID), idLike, osRelease.get(ReleaseKeys.VERSION_ID),
                osRelease.get(ReleaseKeys.SYSEXT_LEVEL), osRelease.get(ReleaseKeys.CONFEXT_LEVEL), architecture,
                scope);
    }

    /** The target's level for images of {@code cls}: {@code SYSEXT_LEVEL} or {@code CONFEXT_LEVEL}. */
    public String level(ExtensionClass cls) {
        return cls == ExtensionClass.CONFEXT ? confextLevel : sysextLevel;
    }

    public TargetOs withScope(String newScope) {
        return new TargetOs(id, idLike, versionId, sysextLevel, confextLevel, architecture, newScope);
    }

    public TargetOs withArchitecture(String arch) {
        return new TargetOs(id, idLike, versionId, sysextLevel, confextLevel, arch, scope);
    }

    /** {@code ID=debian VERSION_ID=12 (x86-64, system)}, for messages about sysexts. */
    public String describe() {
        return describe(ExtensionClass.SYSEXT);
    }

    /** {@code ID=debian VERSION_ID=12 CONFEXT_LEVEL=1 (x86-64, system)}: the fields images of {@code cls} meet. */
    public String describe(ExtensionClass cls) {
        StringBuilder sb = new StringBuilder("ID=").append(id.isEmpty() ? "(none)" : id);
        if (!versionId.isEmpty()) {
            sb.append(" VERSION_ID=").append(versionId);
        }
        if (!level(cls).isEmpty()) {
            sb.append(' ').append(cls.levelKey()).append('=').append(level(cls));
        }
        return sb.append(" (").append(architecture).append(", ").append(scope).append(')').toString();
    }
}
