package dev.sysextctl.e2e;

import java.util.List;

/**
 * What a systemd 252 node needs after its merge changed at runtime ({@code sysextctl enable|disable|mask --now},
 * {@code refresh}) for its running units to follow the merged set. Neither systemd-sysext 252 nor sysextctl does it
 * (measured on the test bed, see the e2e report):
 * <ul>
 *   <li>PID 1 must reload: until then it does not know the units an image brought, and the {@code Upholds=}
 *       drop-ins of the targets do not count. After {@code systemctl daemon-reload} 252 starts the upheld units by
 *       itself. systemd-sysext 255+ reloads when a merged or unmerged image says
 *       {@code EXTENSION_RELOAD_MANAGER=1}; 252 ignores that field.</li>
 *   <li>Units whose image left keep running after the reload, as {@code not-found active}: no systemd version stops
 *       them. They are stopped here.</li>
 * </ul>
 * At boot the test bed's {@code testbed-ensure-sysext.service} reloads PID 1, like Flatcar's
 * {@code ensure-sysext.service}.
 */
public final class UnitSync {
    private UnitSync() {
    }

    /** Reloads PID 1 and stops the units left running without a unit file; returns those units. */
    public static List<String> afterMergeChange(Node node) {
        node.exec("systemctl", "daemon-reload").assertSuccess();
        String orphans = node.shOk("""
                systemctl list-units --all --plain --no-legend --no-pager \\
                  | awk '$2 == "not-found" && $3 != "inactive" { print $1 }'
                """).stdout().strip();
        if (orphans.isEmpty()) {
            return List.of();
        }
        List<String> units = List.of(orphans.split("\\s+"));
        node.exec(concat("systemctl", "stop", units)).assertSuccess();
        System.err.println("e2e: node " + node.name() + ": stopped units whose image left: " + units);
        return units;
    }

    private static String[] concat(String a, String b, List<String> rest) {
        String[] argv = new String[rest.size() + 2];
        argv[0] = a;
        argv[1] = b;
        for (int i = 0; i < rest.size(); i++) {
            argv[i + 2] = rest.get(i);
        }
        return argv;
    }
}
