package dev.sysextctl.merger.config;

import java.util.List;

/**
 * What {@code enable}, {@code disable}, {@code mask} or {@code unmask} changed on the node.
 *
 * @param action enable, disable, mask or unmask
 * @param name the extension name
 * @param changed whether anything on disk changed
 * @param created paths created (as the node sees them)
 * @param removed paths removed
 * @param linkTarget the link's target text (enable)
 * @param previousTarget the target the link had before (enable over an existing link), or null
 * @param notes what the user should know (shadowing, leftovers not touched)
 */
public record ConfigChange(ConfigAction action, String name, boolean changed, List<String> created, List<String> removed,
        String linkTarget, String previousTarget, List<String> notes) {
    public ConfigChange {
        created = List.copyOf(created);
        removed = List.copyOf(removed);
        notes = List.copyOf(notes);
    }
}
