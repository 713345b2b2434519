package dev.sysextctl.merger.engine;

import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.MergePlan;
import java.util.List;

/**
 * A merge read and planned, with its images still mounted in the session, ready to be carried out (or
 * dropped, when another engine takes over). Closing it ends the session.
 */
public final class PreparedMerge implements AutoCloseable {
    private final Discovery discovery;
    private final List<ImageAssessment> assessments;
    private final MergePlan plan;
    private final NamespaceSession session;

    PreparedMerge(Discovery discovery, List<ImageAssessment> assessments, MergePlan plan, NamespaceSession session) {
        this.discovery = discovery;
        this.assessments = List.copyOf(assessments);
        this.plan = plan;
        this.session = session;
    }

    public Discovery discovery() {
        return discovery;
    }

    public List<ImageAssessment> assessments() {
        return assessments;
    }

    public MergePlan plan() {
        return plan;
    }

    NamespaceSession session() {
        return session;
    }

    /** Images on which systemd-sysext 252 would abort the whole merge (or merge nothing), with its message. */
    public List<ImageAssessment> systemdBlockers() {
        return assessments.stream()
                .filter(a -> a.shadowedBy() == null && a.systemdMessage() != null
                        && (a.inspection() != null && a.inspection().systemdError() != null
                                || a.rule().equals(RuleId.OS_RELEASE_IN_IMAGE.id())
                                || a.rule().equals(RuleId.NESTED_LAYER.id())))
                .toList();
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }
}
