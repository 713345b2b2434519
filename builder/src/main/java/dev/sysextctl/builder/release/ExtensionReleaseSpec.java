package dev.sysextctl.builder.release;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the user asked the extension-release to say ({@code build}'s {@code --os}, {@code --os-version},
 * {@code --sysext-level}, {@code --target-os-release}, {@code --arch}, {@code --scope}, {@code --reload-manager},
 * {@code --version}, {@code --set}), turned into the file's fields by {@link #toReleaseFile()}.
 *
 * <p>Rules: {@code ID} is {@code --os}, else the target os-release's {@code ID}, else {@code _any};
 * {@code VERSION_ID} and {@code SYSEXT_LEVEL} come from their flags, else from the target os-release; explicit
 * flags always win. {@code --arch} takes systemd names and the usual aliases ({@code x86_64}, {@code amd64},
 * {@code aarch64}, {@code host}). {@code --scope} words are {@code system}, {@code initrd}, {@code portable},
 * separated by spaces or commas. {@code --set} entries are applied last, in order, and may override anything.
 * Null/empty fields are left out.
 */
public record ExtensionReleaseSpec(String os, String osVersion, String sysextLevel, Path targetOsRelease,
        String architecture, String scope, boolean reloadManager, String version, List<String> set) {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> SCOPES = Set.of("system", "initrd", "portable");

    public ExtensionReleaseSpec {
        set = set == null ? List.of() : List.copyOf(set);
    }

    /** No flags at all: {@code ID=_any} only. */
    public static ExtensionReleaseSpec empty() {
        return new ExtensionReleaseSpec(null, null, null, null, null, null, false, null, List.of());
    }

    /**
     * This spec with {@code defaults} (fields the sources imply, {@link dev.sysextctl.builder.source.ImageSource#releaseDefaults()})
     * filled in where no flag says otherwise: {@code ID}, {@code VERSION_ID} and {@code SYSEXT_LEVEL} only without
     * {@code --target-os-release}; {@code EXTENSION_RELOAD_MANAGER=1} turns {@code --reload-manager} on; fields
     * without a flag go before the {@code --set} entries (which win).
     */
    public ExtensionReleaseSpec withDefaults(Map<String, String> defaults) {
        if (defaults.isEmpty()) {
            return this;
        }
        Map<String, String> d = new LinkedHashMap<>(defaults);
        boolean fromTarget = targetOsRelease != null;
        String newOs = os != null || fromTarget ? os : d.get(ReleaseKeys.ID);
        String newOsVersion = osVersion != null || fromTarget ? osVersion : d.get(ReleaseKeys.VERSION_ID);
        String newLevel = sysextLevel != null || fromTarget ? sysextLevel : d.get(ReleaseKeys.SYSEXT_LEVEL);
        String newArch = architecture != null ? architecture : d.get(ReleaseKeys.ARCHITECTURE);
        String newScope = scope != null ? scope : d.get(ReleaseKeys.SYSEXT_SCOPE);
        boolean newReload = reloadManager || "1".equals(d.get(ReleaseKeys.EXTENSION_RELOAD_MANAGER));
        String newVersion = version != null ? version : d.get(ReleaseKeys.SYSEXT_VERSION_ID);
        List<String> newSet = new ArrayList<>();
        for (String key : List.of(ReleaseKeys.ID, ReleaseKeys.VERSION_ID, ReleaseKeys.SYSEXT_LEVEL,
                ReleaseKeys.ARCHITECTURE, ReleaseKeys.SYSEXT_SCOPE, ReleaseKeys.EXTENSION_RELOAD_MANAGER,
                ReleaseKeys.SYSEXT_VERSION_ID)) {
            d.remove(key);
        }
        d.forEach((k, v) -> newSet.add(k + "=" + v));
        newSet.addAll(set);
        return new ExtensionReleaseSpec(newOs, newOsVersion, newLevel, targetOsRelease, newArch, newScope, newReload,
                newVersion, newSet);
    }

    public ReleaseFile toReleaseFile() throws UsageException, OperationFailedException {
        ReleaseFile target = targetOsRelease == null ? ReleaseFile.EMPTY : OsReleaseFiles.read(targetOsRelease);
        if (targetOsRelease != null && target.get(ReleaseKeys.ID).isEmpty()) {
            throw new UsageException("--target-os-release " + targetOsRelease + " has no ID=; give the target's "
                    + "os-release file (etc/os-release or usr/lib/os-release)");
        }
        Map<String, String> f = new LinkedHashMap<>();
        put(f, ReleaseKeys.ID, first(os, target.get(ReleaseKeys.ID), ReleaseKeys.ANY));
        put(f, ReleaseKeys.VERSION_ID, first(osVersion, target.get(ReleaseKeys.VERSION_ID)));
        put(f, ReleaseKeys.SYSEXT_LEVEL, first(sysextLevel, target.get(ReleaseKeys.SYSEXT_LEVEL)));
        if (architecture != null) {
            put(f, ReleaseKeys.ARCHITECTURE, normalizeArchitecture(architecture));
        }
        if (scope != null) {
            put(f, ReleaseKeys.SYSEXT_SCOPE, normalizeScope(scope));
        }
        put(f, ReleaseKeys.SYSEXT_VERSION_ID, version);
        if (reloadManager) {
            f.put(ReleaseKeys.EXTENSION_RELOAD_MANAGER, "1");
        }
        for (String assignment : set) {
            int eq = assignment.indexOf('=');
            String key = eq < 0 ? assignment : assignment.substring(0, eq);
            if (eq < 0 || !KEY.matcher(key).matches()) {
                // control characters shown escaped: the message stays one line whatever the argument holds
                String shown = assignment.replace("\n", "\\n").replace("\r", "\\r").replaceAll("\\p{Cntrl}", "?");
                throw new UsageException("invalid --set '" + shown + "'; write KEY=VALUE with a KEY of letters, "
                        + "digits and '_' (e.g. --set SYSEXT_ID=docker)");
            }
            String value = assignment.substring(eq + 1);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new UsageException("invalid --set " + key + ": the value spans several lines; give it on one line");
            }
            f.put(key, value);
        }
        return new ReleaseFile(f);
    }

    /** The systemd name for {@code --arch}, or a usage error naming the accepted spellings. */
    public static String normalizeArchitecture(String arch) throws UsageException {
        return Architecture.normalize(arch.trim()).orElseThrow(() -> new UsageException("unknown architecture '"
                + arch + "'; use a systemd name (x86-64, arm64, ...), an alias (x86_64, amd64, aarch64), host or _any"));
    }

    /** {@code --scope} words (space- or comma-separated) checked and joined with single spaces. */
    public static String normalizeScope(String scope) throws UsageException {
        List<String> words = new ArrayList<>();
        for (String w : scope.trim().split("[\\s,]+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (!SCOPES.contains(w)) {
                throw new UsageException("unknown scope '" + w + "'; use system, initrd and/or portable");
            }
            if (!words.contains(w)) {
                words.add(w);
            }
        }
        if (words.isEmpty()) {
            throw new UsageException("--scope is empty (systemd would then refuse the image everywhere); "
                    + "give system, initrd and/or portable");
        }
        return String.join(" ", words);
    }

    private static void put(Map<String, String> f, String key, String value) {
        if (value != null && !value.isEmpty()) {
            f.put(key, value);
        }
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }
}
