package dev.sysextctl.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a shell script in a private mount namespace set up the way systemd-sysext needs it
 * (docs/testing.md §1): everything private, then {@code /} shared, and a fresh shared tmpfs on
 * {@code /run}. Mounts made inside vanish with the namespace.
 */
public final class MountNamespace {
    /** The namespace preamble; exported for scripts that build their own command lines. */
    public static final String PREAMBLE = "mount --make-rprivate / && mount --make-rshared / && "
            + "mount -t tmpfs tmpfs /run && mount --make-shared /run && ";

    private MountNamespace() {
    }

    public static Shell.Result run(String script) {
        return run(script, Map.of());
    }

    public static Shell.Result run(String script, Map<String, String> env) {
        List<String> argv = new ArrayList<>(List.of("unshare", "-m", "--propagation", "unchanged", "sh", "-c",
                PREAMBLE + "{\n" + script + "\n}"));
        return Shell.run(argv, env, null, 900);
    }
}
