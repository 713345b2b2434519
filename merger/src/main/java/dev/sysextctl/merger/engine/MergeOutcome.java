package dev.sysextctl.merger.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sysextctl.merger.manager.ManagerSync;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.status.HierarchyStatus;
import java.util.List;

/**
 * What a merge, unmerge or refresh did (or, with {@code --dry-run}, would do).
 *
 * @param action merge, unmerge or refresh
 * @param engine the engine that ran (systemd or native)
 * @param engineReason why that engine (for {@code --engine auto})
 * @param plan the plan (null when the engine did not plan, e.g. an unmerge)
 * @param merged the hierarchies merged by this run
 * @param unmerged the hierarchies (paths on this machine) whose previous merge this run removed
 * @param status every hierarchy afterwards
 * @param messages systemd-sysext's log lines (from systemd, or the native engine's equivalents)
 * @param warnings what the user should know: skipped images and why, engine quirks
 * @param manager what followed on the running service manager: reload, units stopped (null for a dry run)
 */
public record MergeOutcome(String action, EngineKind engine, String engineReason, boolean dryRun, MergePlan plan,
        List<MergedHierarchy> merged, List<String> unmerged, List<HierarchyStatus> status, List<String> messages,
        List<String> warnings, ManagerSync manager) {
    public MergeOutcome {
        merged = List.copyOf(merged);
        unmerged = List.copyOf(unmerged);
        status = status == null ? List.of() : List.copyOf(status);
        messages = List.copyOf(messages);
        warnings = List.copyOf(warnings);
    }

    public MergeOutcome(String action, EngineKind engine, String engineReason, boolean dryRun, MergePlan plan,
            List<MergedHierarchy> merged, List<String> unmerged, List<HierarchyStatus> status, List<String> messages,
            List<String> warnings) {
        this(action, engine, engineReason, dryRun, plan, merged, unmerged, status, messages, warnings, null);
    }

    public MergeOutcome withManager(ManagerSync m) {
        return new MergeOutcome(action, engine, engineReason, dryRun, plan, merged, unmerged, status, messages,
                warnings, m);
    }

    /** The error that followed the change (the merge stays), or null. */
    @JsonIgnore
    public String followUpError() {
        return manager == null ? null : manager.error();
    }

    /** The images the plan leaves out, with their reasons. */
    public List<ImageAssessment> ignored() {
        return plan == null ? List.of() : plan.ignored();
    }
}
