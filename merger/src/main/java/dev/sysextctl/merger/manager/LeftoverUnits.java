package dev.sysextctl.merger.manager;

import dev.sysextctl.core.tools.Systemctl.UnitState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The units left running after their image left the merge. After the reload PID 1 shows them as
 * {@code LoadState=not-found ActiveState=active}, and no systemd version stops them (stopping them before the reload
 * would not do: the old {@code Upholds=} would start them again). The candidates are the unit files that were in
 * the merged tree before and are gone after; a unit is stopped only when PID 1 finds no unit file for it any more
 * (so a unit still shipped by the base OS, another extension or {@code /etc} is never touched) and it still runs.
 */
public final class LeftoverUnits {
    private LeftoverUnits() {
    }

    /**
     * What to ask PID 1 about: the unit files that left, sorted; a template that left ({@code foo@.service}) as the
     * glob of its instances ({@code foo@*.service}), which {@code systemctl show} expands over the loaded units.
     */
    public static List<String> candidates(ManagerSnapshot before, ManagerSnapshot after) {
        Set<String> gone = new TreeSet<>(before.unitFiles());
        gone.removeAll(after.unitFiles());
        List<String> out = new ArrayList<>();
        for (String u : gone) {
            out.add(UnitNames.isTemplate(u) ? UnitNames.instancePattern(u) : u);
        }
        return out;
    }

    /** The units to stop: not found and running, sorted, each once. */
    public static List<String> toStop(List<UnitState> states) {
        Set<String> out = new TreeSet<>();
        for (UnitState s : states) {
            if (s.notFound() && s.running()) {
                out.add(s.id());
            }
        }
        return List.copyOf(out);
    }
}
