package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessResult;
import java.nio.file.Path;
import java.util.List;

/**
 * The host's {@code systemd-sysext}: merge, unmerge and refresh an OS tree ({@code --root}), and its JSON
 * {@code list} and {@code status}. Results carry the exit code and the log lines; callers interpret them
 * (systemd 252 exits 0 on some failures, docs/compatibility.md §5.3).
 */
public interface SystemdSysext {
    String PROGRAM = "systemd-sysext";

    /** {@code systemd-sysext --version}: the release (e.g. {@code 252 (252.39-1~deb12u2)}). */
    Version version() throws OperationFailedException;

    ProcessResult merge(Path root, boolean force) throws OperationFailedException;

    ProcessResult unmerge(Path root) throws OperationFailedException;

    ProcessResult refresh(Path root, boolean force) throws OperationFailedException;

    /**
     * {@code merge}, {@code refresh} or {@code unmerge} with {@code --no-reload} when asked (systemd 255+ only:
     * 252 does not know the option, and never reloads).
     */
    default ProcessResult run(MergeAction action, Path root, boolean force, boolean noReload)
            throws OperationFailedException {
        if (noReload) {
            throw new OperationFailedException("this systemd-sysext wrapper cannot pass --no-reload; use the "
                    + "system's");
        }
        return switch (action) {
            case MERGE -> merge(root, force);
            case REFRESH -> refresh(root, force);
            case UNMERGE -> unmerge(root);
        };
    }

    /** {@code list --json=short}: the images systemd-sysext discovers. */
    List<ListedImage> list(Path root) throws OperationFailedException;

    /** {@code status --json=short}: per hierarchy the merged extensions (fails under --root on 252 when merged). */
    List<HierarchyState> status(Path root) throws OperationFailedException;

    /** A systemd release: its major number and the full version string. */
    record Version(int major, String full) {
    }

    /** One row of {@code list --json}: time in µs (0 for block devices). */
    record ListedImage(String name, String type, String path, long time) {
    }

    /** One row of {@code status --json}: no extensions when the hierarchy is not merged; since in µs or null. */
    record HierarchyState(String hierarchy, List<String> extensions, Long since) {
    }
}
