package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.RejectedEntry;
import dev.sysextctl.core.lint.LintRule;

/**
 * Reports every archive entry the stager refused (absolute, {@code ..}, links leaving the tree) as
 * {@code unsafe-path}.
 */
final class RejectedEntriesStep implements PlanStep {
    @Override
    public void apply(PlanDraft d) {
        for (RejectedEntry r : d.archive().rejected()) {
            d.finding(LintRule.UNSAFE_PATH.finding(r.rawName(), "archive entry '" + r.rawName() + "' is "
                    + r.reason() + "; it is not used"));
        }
    }
}
