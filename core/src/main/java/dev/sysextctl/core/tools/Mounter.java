package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.RunningProcess;
import java.nio.file.Path;

/**
 * Mount operations: a shell in a new private mount namespace, where the merge's mounts are made, and the
 * lazy unmount with which an unmerge detaches a hierarchy in the caller's own namespace.
 */
public interface Mounter {
    /** How the helper's namespace relates to the caller's. */
    enum Propagation {
        /** Mounts keep their propagation, so a bind onto a shared hierarchy reaches the caller (merges). */
        UNCHANGED("unchanged"),
        /** Nothing made inside reaches the caller (reading images, planning). */
        SLAVE("slave");

        private final String flag;

        Propagation(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }
    }

    /** {@code unshare --mount --propagation P /bin/sh -s}: a shell reading commands from stdin. */
    RunningProcess namespaceShell(Propagation propagation) throws OperationFailedException;

    /** {@code umount --lazy PATH} (MNT_DETACH, as systemd-sysext unmerges), in the caller's namespace. */
    void unmountDetached(Path mountPoint) throws OperationFailedException;
}
