package dev.sysextctl.converter.rewrite;

import java.util.List;

/**
 * A rewritten text: the new text, what was changed (one line each, for the report) and the torcx references
 * that are still in it because the converter could not tell what they should become.
 */
public record RewriteResult(String text, List<String> changes, List<String> unresolved) {
    public RewriteResult {
        changes = List.copyOf(changes);
        unresolved = List.copyOf(unresolved);
    }

    public boolean changed() {
        return !changes.isEmpty();
    }
}
