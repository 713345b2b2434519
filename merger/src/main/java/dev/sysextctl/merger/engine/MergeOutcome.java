package dev.sysextctl.merger.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.manager.ManagerSync;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.status.HierarchyStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a merge, unmerge or refresh did (or, with {@code --dry-run}, would do); made with {@link #builder} and
 * changed with {@link #toBuilder()}. Its JSON shape (docs/cli.md §6.5) is the list of accessors below, in order.
 */
@JsonPropertyOrder({"action", "class", "engine", "engineReason", "dryRun", "plan", "merged", "unmerged", "status",
    "messages", "warnings", "manager"})
public final class MergeOutcome {
    private final MergeAction action;
    private final EngineKind engine;
    private final String engineReason;
    private final boolean dryRun;
    private final MergePlan plan;
    private final List<MergedHierarchy> merged;
    private final List<String> unmerged;
    private final List<HierarchyStatus> status;
    private final List<String> messages;
    private final List<String> warnings;
    private final ManagerSync manager;
    private final ExtensionClass extensionClass;

    private MergeOutcome(Builder b) {
        this.extensionClass = b.extensionClass;
        this.action = Objects.requireNonNull(b.action, "action");
        this.engine = Objects.requireNonNull(b.engine, "engine");
        this.engineReason = b.engineReason;
        this.dryRun = b.dryRun;
        this.plan = b.plan;
        this.merged = List.copyOf(b.merged);
        this.unmerged = List.copyOf(b.unmerged);
        this.status = b.status == null ? List.of() : List.copyOf(b.status);
        this.messages = List.copyOf(b.messages);
        this.warnings = List.copyOf(b.warnings);
        this.manager = b.manager;
    }

    /** An outcome of {@code action} run by {@code engine}: nothing merged, unmerged or said until set. */
    public static Builder builder(MergeAction action, EngineKind engine) {
        return new Builder(action, engine);
    }

    /** A builder holding this outcome's values. */
    public Builder toBuilder() {
        return new Builder(action, engine).engineReason(engineReason).dryRun(dryRun).plan(plan).merged(merged)
                .unmerged(unmerged).status(status).messages(messages).warnings(warnings).manager(manager)
                .extensionClass(extensionClass);
    }

    /** merge, unmerge or refresh. */
    @JsonProperty
    public MergeAction action() {
        return action;
    }

    /** The class of extension merged: {@code sysext} or {@code confext}. */
    @JsonProperty("class")
    public ExtensionClass extensionClass() {
        return extensionClass;
    }

    /** The engine that ran (systemd or native). */
    @JsonProperty
    public EngineKind engine() {
        return engine;
    }

    /** Why that engine (for {@code --engine auto}). */
    @JsonProperty
    public String engineReason() {
        return engineReason;
    }

    /** Whether nothing was changed: the outcome says what the command would do. */
    @JsonProperty
    public boolean dryRun() {
        return dryRun;
    }

    /** The plan (null when the engine did not plan, e.g. an unmerge). */
    @JsonProperty
    public MergePlan plan() {
        return plan;
    }

    /** The hierarchies merged by this run. */
    @JsonProperty
    public List<MergedHierarchy> merged() {
        return merged;
    }

    /** The hierarchies (paths on this machine) whose previous merge this run removed. */
    @JsonProperty
    public List<String> unmerged() {
        return unmerged;
    }

    /** Every hierarchy afterwards. */
    @JsonProperty
    public List<HierarchyStatus> status() {
        return status;
    }

    /** systemd-sysext's log lines (from systemd, or the native engine's equivalents). */
    @JsonProperty
    public List<String> messages() {
        return messages;
    }

    /** What the user should know: skipped images and why, engine quirks. */
    @JsonProperty
    public List<String> warnings() {
        return warnings;
    }

    /** What followed on the running service manager: reload, units stopped (null for a dry run). */
    @JsonProperty
    public ManagerSync manager() {
        return manager;
    }

    public MergeOutcome withManager(ManagerSync m) {
        return toBuilder().manager(m).build();
    }

    /** The error that followed the change (the merge stays), or null. */
    @JsonIgnore
    public String followUpError() {
        return manager == null ? null : manager.error();
    }

    /** The images the plan leaves out, with their reasons. */
    @JsonIgnore
    public List<ImageAssessment> ignored() {
        return plan == null ? List.of() : plan.ignored();
    }

    @Override
    public String toString() {
        return "MergeOutcome[action=" + action + ", engine=" + engine + ", engineReason=" + engineReason
                + ", dryRun=" + dryRun + ", merged=" + merged + ", unmerged=" + unmerged + ", warnings=" + warnings
                + ", manager=" + manager + "]";
    }

    /** Collects an outcome; lists start empty. */
    public static final class Builder {
        private final MergeAction action;
        private EngineKind engine;
        private String engineReason;
        private boolean dryRun;
        private MergePlan plan;
        private List<MergedHierarchy> merged = List.of();
        private List<String> unmerged = List.of();
        private List<HierarchyStatus> status = List.of();
        private List<String> messages = List.of();
        private List<String> warnings = List.of();
        private ManagerSync manager;
        private ExtensionClass extensionClass = ExtensionClass.SYSEXT;

        private Builder(MergeAction action, EngineKind engine) {
            this.action = action;
            this.engine = engine;
        }

        public Builder engine(EngineKind kind) {
            this.engine = kind;
            return this;
        }

        public Builder engineReason(String reason) {
            this.engineReason = reason;
            return this;
        }

        public Builder dryRun(boolean d) {
            this.dryRun = d;
            return this;
        }

        public Builder plan(MergePlan p) {
            this.plan = p;
            return this;
        }

        public Builder merged(List<MergedHierarchy> m) {
            this.merged = m;
            return this;
        }

        public Builder unmerged(List<String> u) {
            this.unmerged = u;
            return this;
        }

        public Builder status(List<HierarchyStatus> s) {
            this.status = s;
            return this;
        }

        public Builder messages(List<String> m) {
            this.messages = m;
            return this;
        }

        public Builder warnings(List<String> w) {
            this.warnings = w;
            return this;
        }

        /** Adds {@code extra} warnings not said yet, after the others. */
        public Builder addWarnings(List<String> extra) {
            List<String> w = new ArrayList<>(warnings);
            for (String x : extra) {
                if (!w.contains(x)) {
                    w.add(x);
                }
            }
            this.warnings = w;
            return this;
        }

        public Builder extensionClass(ExtensionClass c) {
            this.extensionClass = c;
            return this;
        }

        public Builder manager(ManagerSync m) {
            this.manager = m;
            return this;
        }

        public MergeOutcome build() {
            return new MergeOutcome(this);
        }
    }
}
