package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.util.List;

/**
 * The running service manager (PID 1), through {@code systemctl}: reload its unit files after the merged
 * {@code /usr} changed, read the state of units, stop units.
 */
public interface Systemctl {
    String PROGRAM = "systemctl";

    /** The properties {@link #show} asks for. */
    List<String> SHOWN = List.of("LoadState", "ActiveState", "Id");

    /**
     * {@code systemctl daemon-reload}: PID 1 reloads every unit file (it returns when the reload is done).
     *
     * @throws OperationFailedException when systemctl fails (the message carries its last line)
     */
    void daemonReload() throws OperationFailedException;

    /**
     * {@code systemctl show -p LoadState,ActiveState,Id UNIT...}: one state per unit, in the order systemctl
     * prints them (the order asked). Unknown units come back as {@code not-found inactive}.
     */
    List<UnitState> show(List<String> units) throws OperationFailedException;

    /** {@code systemctl stop UNIT...}: stops the units together and waits for the jobs. */
    void stop(List<String> units) throws OperationFailedException;

    /** What PID 1 says about a unit: {@code Id}, {@code LoadState}, {@code ActiveState}. */
    record UnitState(String id, String loadState, String activeState) {
        /** No unit file for it anywhere in the unit search path (PID 1 only keeps it because it runs). */
        public boolean notFound() {
            return "not-found".equals(loadState);
        }

        /** Running or on its way up or down: anything but {@code inactive} and {@code failed}. */
        public boolean running() {
            return activeState != null && !activeState.isEmpty() && !"inactive".equals(activeState)
                    && !"failed".equals(activeState);
        }
    }
}
