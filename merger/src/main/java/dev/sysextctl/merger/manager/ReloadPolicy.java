package dev.sysextctl.merger.manager;

import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.engine.EngineKind;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * When PID 1 is reloaded after a change of the merge. systemd-sysext 255+ reloads after merge, refresh and unmerge
 * when an extension it merged (or, for an unmerge, the ones it removed) says {@code EXTENSION_RELOAD_MANAGER=1}
 * (docs/compatibility.md §4.9); 252 never does, so units from a newly merged image stay unknown. sysextctl reloads
 * when an extension of the old <em>or</em> the new merged set asks for it, on the running system only (no
 * {@code --root}), when systemd is PID 1 and {@code --no-reload} was not given, unless systemd-sysext 255+ ran the
 * change and reloaded itself (never twice).
 */
public final class ReloadPolicy {
    /** The first systemd release whose systemd-sysext reloads the manager itself. */
    public static final int SYSEXT_RELOADS_FROM = 255;

    private ReloadPolicy() {
    }

    /**
     * Why nothing is reloaded whatever the merge, or null when that depends on the merge (and the snapshots are
     * worth taking).
     *
     * @param liveSystem the node is this machine's running system ({@code --root} absent or {@code /})
     * @param noReload {@code --no-reload}
     * @param systemdIsPid1 systemd runs as PID 1 ({@code /run/systemd/system} exists)
     */
    public static String skipReason(boolean liveSystem, boolean noReload, boolean systemdIsPid1) {
        if (!liveSystem) {
            return "--root: not the running system";
        }
        if (noReload) {
            return "--no-reload";
        }
        if (!systemdIsPid1) {
            return "systemd is not PID 1 here (no /run/systemd/system)";
        }
        return null;
    }

    /**
     * Whether sysextctl passes {@code --no-reload} to systemd-sysext: when it is 255+ and a reload is not wanted on
     * the running system ({@code --no-reload}) or cannot work (systemd is not PID 1, where 255+ would fail the
     * command after merging: "Failed to get D-Bus connection"). Under {@code --root} it never reloads anyway.
     */
    public static boolean passNoReload(int systemdSysextMajor, boolean liveSystem, boolean noReload,
            boolean systemdIsPid1) {
        return systemdSysextMajor >= SYSEXT_RELOADS_FROM && liveSystem && (noReload || !systemdIsPid1);
    }

    /**
     * The decision once the change is done (only called when {@link #skipReason} was null).
     *
     * @param engine the engine that ran the change
     * @param systemdSysextMajor the systemd-sysext release (0 when unknown)
     * @param action merge, refresh or unmerge
     */
    public static ManagerSync decide(EngineKind engine, int systemdSysextMajor, MergeAction action, ManagerSnapshot before,
            ManagerSnapshot after) {
        Set<String> wanted = new TreeSet<>(before.reloadRequests());
        wanted.addAll(after.reloadRequests());
        List<String> by = List.copyOf(wanted);
        if (wanted.isEmpty()) {
            return ManagerSync.of(ManagerSync.Reload.NOT_NEEDED, "no extension merged before or after sets "
                    + "EXTENSION_RELOAD_MANAGER=1", by);
        }
        String because = "EXTENSION_RELOAD_MANAGER=1 in " + by.stream().map(n -> "'" + n + "'")
                .collect(Collectors.joining(", "));
        if (engine == EngineKind.SYSTEMD && systemdSysextReloaded(systemdSysextMajor, action, before, after)) {
            return ManagerSync.of(ManagerSync.Reload.BY_SYSTEMD_SYSEXT, "systemd-sysext " + systemdSysextMajor
                    + " reloaded it (" + because + ")", by);
        }
        return ManagerSync.of(ManagerSync.Reload.RELOADED, because, by);
    }

    /**
     * Whether systemd-sysext 255+ reloaded by itself: {@code merge()} asks the extensions it merged, and
     * {@code unmerge()} (also run by a refresh that finds nothing to merge) the ones merged before (§4.9).
     */
    static boolean systemdSysextReloaded(int major, MergeAction action, ManagerSnapshot before, ManagerSnapshot after) {
        if (major < SYSEXT_RELOADS_FROM) {
            return false;
        }
        if (action == MergeAction.UNMERGE || after.extensions().isEmpty()) {
            return !before.reloadRequests().isEmpty();
        }
        return !after.reloadRequests().isEmpty();
    }
}
