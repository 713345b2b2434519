package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.StagedEntry;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

/**
 * Points every hard link at its target's new path; a hard link whose target was not placed as that file becomes a
 * copy of the target's bytes, and one with no regular file to link to is dropped with a finding.
 */
final class HardlinksStep implements PlanStep {
    @Override
    public void apply(PlanDraft d) {
        Map<String, PlannedEntry> plan = d.entries();
        for (Map.Entry<String, PlannedEntry> me : new ArrayList<>(plan.entrySet())) {
            PlannedEntry p = me.getValue();
            if (p.entry().type() != EntryType.HARDLINK) {
                continue;
            }
            String archiveTarget = p.entry().linkTarget();
            String placed = d.placedFrom().get(archiveTarget);
            PlannedEntry target = placed == null ? null : plan.get(placed);
            if (target != null && target.entry().type() == EntryType.FILE && archiveTarget.equals(target.origin())) {
                if (!placed.equals(archiveTarget)) {
                    plan.put(me.getKey(), p.with(p.entry().withLinkTarget(placed), null));
                }
                continue;
            }
            Optional<StagedEntry> src = d.archive().get(archiveTarget).filter(s -> s.type() == EntryType.FILE);
            if (src.isEmpty()) {
                plan.remove(me.getKey());
                d.warn(ConversionRules.DROPPED, p.path(), "hard link " + p.path() + " -> " + archiveTarget
                        + " has no regular file to link to; dropped", "fix the archive");
                continue;
            }
            TreeEntry e = new TreeEntry(p.path(), EntryType.FILE, p.entry().mode(), p.entry().uid(),
                    p.entry().gid(), src.get().entry().size(), null, 0, 0, p.entry().mtime(),
                    src.get().entry().xattrs());
            plan.put(me.getKey(), new PlannedEntry(e, d.content(src.get()), p.origin(), p.kind()));
            d.change(ConversionChange.Kind.HARDLINK, p.path(), "hard link to " + archiveTarget
                    + " (not carried over) became a copy");
        }
    }
}
