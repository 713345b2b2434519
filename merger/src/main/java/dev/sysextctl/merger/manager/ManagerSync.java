package dev.sysextctl.merger.manager;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * What a change of the merge did to the running service manager (JSON {@code manager}).
 *
 * @param reload whether PID 1 was reloaded, and by whom
 * @param reason why (or why not), for humans
 * @param requestedBy the extensions, merged before or after the change, whose extension-release says
 *     {@code EXTENSION_RELOAD_MANAGER=1}
 * @param stopped the units stopped after the reload: no unit file any more (their image left), still running
 * @param leftRunning such units that were not stopped ({@code --no-stop}, or the stop failed)
 * @param error what went wrong after the merge changed (the merge stays): one line, ending in what to run
 */
public record ManagerSync(Reload reload, String reason, List<String> requestedBy, List<String> stopped,
        List<String> leftRunning, String error) {
    public ManagerSync {
        requestedBy = List.copyOf(requestedBy);
        stopped = List.copyOf(stopped);
        leftRunning = List.copyOf(leftRunning);
    }

    /** Whether and by whom PID 1 was reloaded. */
    public enum Reload {
        /** sysextctl ran {@code systemctl daemon-reload}. */
        RELOADED,
        /** systemd-sysext 255+ reloaded it itself (docs/compatibility.md §4.9). */
        BY_SYSTEMD_SYSEXT,
        /** No extension of the old or new merged set asks for it. */
        NOT_NEEDED,
        /** Not done: {@code --root}, {@code --no-reload}, or systemd is not PID 1 here. */
        SKIPPED,
        /** The reload was tried and failed (see {@link #error}). */
        FAILED;

        @JsonValue
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** PID 1 has the new unit files (so units without one can be told apart). */
        public boolean done() {
            return this == RELOADED || this == BY_SYSTEMD_SYSEXT;
        }
    }

    static ManagerSync of(Reload reload, String reason, List<String> requestedBy) {
        return new ManagerSync(reload, reason, requestedBy, List.of(), List.of(), null);
    }

    public static ManagerSync skipped(String reason) {
        return of(Reload.SKIPPED, reason, List.of());
    }

    /** systemd-sysext 255+ changed the merge, then failed (its own reload): {@code error} says what to run. */
    public ManagerSync failedBySystemdSysext(String err) {
        return failed(err);
    }

    ManagerSync withUnits(List<String> stoppedUnits, List<String> left, String err) {
        return new ManagerSync(reload, reason, requestedBy, stoppedUnits, left, err);
    }

    ManagerSync failed(String err) {
        return new ManagerSync(Reload.FAILED, reason, requestedBy, stopped, leftRunning, err);
    }
}
