package dev.sysextctl.merger.engine;

import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.ImageState;
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
    private final String imagePolicy;

    PreparedMerge(Discovery discovery, List<ImageAssessment> assessments, MergePlan plan, NamespaceSession session,
            String imagePolicy) {
        this.discovery = discovery;
        this.assessments = List.copyOf(assessments);
        this.plan = plan;
        this.session = session;
        this.imagePolicy = imagePolicy;
    }

    /** The image policy the images were judged under, as given. */
    public String imagePolicy() {
        return imagePolicy;
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

    /**
     * Images on which systemd-sysext 252 would abort the whole merge (or merge nothing), with its message; and those
     * the image policy refuses where systemd 257 fails the merge (docs/ddi.md §7).
     */
    public List<ImageAssessment> systemdBlockers() {
        return assessments.stream()
                .filter(a -> a.shadowedBy() == null && a.systemdMessage() != null
                        && (a.state() == ImageState.REFUSED
                                || a.inspection() != null && a.inspection().systemdError() != null
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
