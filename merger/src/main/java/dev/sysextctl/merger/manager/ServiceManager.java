package dev.sysextctl.merger.manager;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.core.tools.Systemctl;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Brings the running service manager in step after the merge changed: {@link #before} reads what PID 1 needs to
 * know of the old merge (when a reload can follow at all), {@link #after} decides ({@link ReloadPolicy}), reloads
 * PID 1 ({@code systemctl daemon-reload}) and stops the units whose image left ({@link LeftoverUnits}). Failures
 * after the change do not undo the merge: they come back as {@link ManagerSync#error()}.
 */
public final class ServiceManager {
    /** Where systemd says it runs as PID 1 ({@code sd_booted()}). */
    public static final Path BOOTED_MARKER = Path.of("/run/systemd/system");

    private final Systemctl systemctl;
    private final BooleanSupplier systemdIsPid1;

    public ServiceManager(Systemctl systemctl, BooleanSupplier systemdIsPid1) {
        this.systemctl = systemctl;
        this.systemdIsPid1 = systemdIsPid1;
    }

    /** The service manager of this machine. */
    public static ServiceManager system(Systemctl systemctl) {
        return new ServiceManager(systemctl, () -> Files.isDirectory(BOOTED_MARKER));
    }

    /** The state before a change: why no reload can follow, or the snapshot of the old merge. */
    public record Before(String skipReason, ManagerSnapshot snapshot) {
    }

    public Before before(Node node, MergeOptions options) throws OperationFailedException {
        String skip = ReloadPolicy.skipReason(node.isHostRoot(), options.noReload(), systemdIsPid1.getAsBoolean());
        return new Before(skip, skip == null ? ManagerSnapshot.read(node) : null);
    }

    /** Whether systemd-sysext (release {@code major}) must run with {@code --no-reload} here. */
    public boolean passNoReload(Node node, MergeOptions options, int major) {
        return ReloadPolicy.passNoReload(major, node.isHostRoot(), options.noReload(), systemdIsPid1.getAsBoolean());
    }

    /**
     * After the change: reload PID 1 if needed, then stop the units left without a unit file (unless
     * {@code --no-stop}).
     *
     * @param engine the engine that changed the merge
     * @param major systemd-sysext's release (0 when unknown or not used)
     * @param systemdSysextError the error systemd-sysext 255+ printed after changing the merge (its own reload
     *     failed), or null
     */
    public ManagerSync after(Node node, Before before, EngineKind engine, int major, MergeAction action,
            MergeOptions options, String systemdSysextError) {
        if (before.skipReason() != null) {
            ManagerSync s = ManagerSync.skipped(before.skipReason());
            return systemdSysextError == null ? s : s.failed(systemdSysextError);
        }
        ManagerSnapshot now;
        try {
            now = ManagerSnapshot.read(node);
        } catch (OperationFailedException e) {
            return ManagerSync.of(ManagerSync.Reload.FAILED, "the merged tree could not be read", List.of())
                    .failed("the merge changed, but what PID 1 needs to reload could not be read (" + e.getMessage()
                            + "); run 'systemctl daemon-reload'");
        }
        ManagerSync d = ReloadPolicy.decide(engine, major, action, before.snapshot(), now);
        if (d.reload() == ManagerSync.Reload.RELOADED) {
            try {
                systemctl.daemonReload();
            } catch (OperationFailedException e) {
                return d.failed("the merge changed, but the service manager was not reloaded (" + cause(e)
                        + "), so it does not know the units the merge brought or removed; run 'systemctl "
                        + "daemon-reload'");
            }
        } else if (systemdSysextError != null) {
            return d.failed(systemdSysextError);
        }
        if (!d.reload().done()) {
            return d;
        }
        return stopLeftovers(d, LeftoverUnits.candidates(before.snapshot(), now), options.noStop());
    }

    private ManagerSync stopLeftovers(ManagerSync d, List<String> candidates, boolean noStop) {
        if (candidates.isEmpty()) {
            return d;
        }
        List<String> stop;
        try {
            stop = LeftoverUnits.toStop(systemctl.show(candidates));
        } catch (OperationFailedException e) {
            return d.withUnits(List.of(), List.of(), "the units whose image left could not be checked (" + cause(e)
                    + "); list them with 'systemctl list-units --all --state=not-found' and stop those still active");
        }
        if (stop.isEmpty()) {
            return d;
        }
        if (noStop) {
            return d.withUnits(List.of(), stop, null);
        }
        try {
            systemctl.stop(stop);
        } catch (OperationFailedException e) {
            return d.withUnits(List.of(), stop, "the units whose image left could not be stopped (" + cause(e)
                    + "); run 'systemctl stop " + String.join(" ", stop) + "'");
        }
        return d.withUnits(stop, List.of(), null);
    }

    private static String cause(OperationFailedException e) {
        return e instanceof CommandFailedException c && c.result() != null
                ? "systemctl: " + c.result().lastErrorLine() : e.getMessage();
    }

}
