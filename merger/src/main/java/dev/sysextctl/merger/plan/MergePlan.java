package dev.sysextctl.merger.plan;

import java.util.List;

/**
 * What a merge does: the extensions it uses (ascending {@code strverscmp_improved} order, so the last one is on
 * top), one overlay per hierarchy that gets extension content, and every image that is left out, with why.
 */
public record MergePlan(List<String> extensions, List<HierarchyPlan> hierarchies, List<ImageAssessment> ignored,
        int ignoredWinners) {
    public MergePlan {
        extensions = List.copyOf(extensions);
        hierarchies = List.copyOf(hierarchies);
        ignored = List.copyOf(ignored);
    }

    public boolean isEmpty() {
        return extensions.isEmpty();
    }
}
