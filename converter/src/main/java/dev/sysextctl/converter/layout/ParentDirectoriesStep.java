package dev.sysextctl.converter.layout;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.ArrayList;

/**
 * Adds the missing parent directories of every planned entry (0755, the archive's newest mtime); a non-directory in
 * a parent's place is replaced by a directory, with a {@code torcx-collision} finding.
 */
final class ParentDirectoriesStep implements PlanStep {
    @Override
    public void apply(PlanDraft d) {
        for (String path : new ArrayList<>(d.entries().keySet())) {
            if (!d.entries().containsKey(path)) {
                continue;
            }
            for (String parent : ImagePaths.parents(path)) {
                PlannedEntry existing = d.entries().get(parent);
                if (existing != null && existing.entry().type() == EntryType.DIRECTORY) {
                    continue;
                }
                d.entries().put(parent, new PlannedEntry(TreeEntry.directory(parent, 0755)
                        .withMtime(d.defaultMtime()), null, null, PlannedEntry.Origin.GENERATED));
                if (existing != null) {
                    d.placedFrom().values().remove(parent);
                    d.collision(parent, existing.origin() == null ? parent : existing.origin(), "entries below it",
                            "the " + existing.entry().type().jsonName() + " is replaced by a directory");
                }
            }
        }
    }
}
