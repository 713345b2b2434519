package dev.sysextctl.converter.layout;

import dev.sysextctl.core.tree.EntryType;
import java.util.ArrayList;
import java.util.List;

/**
 * Warns about content that is carried over but works differently in a sysext: {@code sysusers.d} entries (applied
 * before extensions are merged) and anything under {@code opt/} (read-only while merged).
 */
final class PlacementWarningsStep implements PlanStep {
    @Override
    public void apply(PlanDraft d) {
        List<String> sysusers = new ArrayList<>();
        boolean opt = false;
        for (PlannedEntry e : d.entries().values()) {
            if (e.path().startsWith("usr/lib/sysusers.d/") && e.entry().type() != EntryType.DIRECTORY) {
                sysusers.add(e.path());
            }
            if (e.path().startsWith("opt/") && e.entry().type() != EntryType.DIRECTORY) {
                opt = true;
            }
        }
        for (String s : sysusers) {
            d.warn(ConversionRules.SYSUSERS, s, "sysusers.d entries in a sysext are applied too late: "
                    + "systemd-sysusers runs before extensions are merged, so users and groups it declares do not "
                    + "exist yet for units in the same image", "create the users with Ignition or a confext, or run "
                    + "'systemd-sysusers' after the merge (an ExecStartPre= in the unit)");
        }
        if (opt) {
            d.warn(ConversionRules.OPT, "opt", "the image has content under opt/: while it is merged, /opt on the "
                    + "node is a read-only overlay", "move the content under usr/ (e.g. usr/lib/NAME) if the node "
                    + "writes to /opt");
        }
    }
}
