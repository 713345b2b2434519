package dev.sysextctl.merger.engine;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.core.tools.SystemdSysext;
import dev.sysextctl.merger.manager.ManagerSync;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.status.HierarchyStatus;
import dev.sysextctl.merger.status.StatusReader;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the host's systemd-sysext on the node and reports the result in sysextctl's terms. Its exit status is
 * not trusted alone: systemd 252 exits 0 when the merge fails inside its child (docs/compatibility.md §5.3), so an error line without
 * a "Merged extensions" line is a failure here.
 */
public final class SystemdEngine {
    private static final Pattern MERGED = Pattern.compile("^Merged extensions into '(.*)'\\.$");
    private static final Pattern UNMERGED = Pattern.compile("^Unmerged '(.*)'\\.$");
    private static final List<Pattern> INFO = List.of(MERGED, UNMERGED,
            Pattern.compile("^Using extensions .*\\.$"), Pattern.compile("^No extensions found\\.$"),
            Pattern.compile("^No suitable extensions found \\(\\d+ ignored due to incompatible version\\)\\.$"));

    /** How systemd-sysext 255+ says its manager reload failed (§4.9, {@code daemon_reload()}). */
    private static final Pattern RELOAD_FAILURE = Pattern.compile(
            "^Failed to (get D-Bus connection|reload daemon|reload the service manager)\\b");

    private final SystemdSysext tool;

    public SystemdEngine(SystemdSysext tool) {
        this.tool = tool;
    }

    /**
     * Runs {@code systemd-sysext ACTION} on the node.
     *
     * @param noReload pass {@code --no-reload} (systemd 255+ only)
     */
    public MergeOutcome run(Node node, MergeAction action, MergeOptions options, MergePlan plan, String engineReason,
            List<String> warnings, boolean noReload) throws OperationFailedException {
        ProcessResult r = noReload ? tool.run(action, node.root(), options.force(), true) : switch (action) {
            case MERGE -> tool.merge(node.root(), options.force());
            case REFRESH -> tool.refresh(node.root(), options.force());
            case UNMERGE -> tool.unmerge(node.root());
        };
        Interpretation i = interpret(r);
        if (i.failure() != null) {
            throw new OperationFailedException(node.extensionClass().systemdTool() + " " + action + " failed"
                    + (r.exitCode() == 0
                    ? " (it exited 0, as systemd 252 does when its merge child fails)" : " (exit " + r.exitCode() + ")")
                    + ": " + i.failure() + "; see 'sysextctl explain NAME' or run with --engine native, which skips "
                    + "broken images");
        }
        List<HierarchyStatus> status = StatusReader.read(node);
        List<MergedHierarchy> merged = new ArrayList<>();
        for (String target : i.merged()) {
            for (HierarchyStatus s : status) {
                if (s.path().equals(target) && s.merged()) {
                    merged.add(new MergedHierarchy(s.hierarchy(), s.path(), s.dev()));
                }
            }
        }
        MergeOutcome o = MergeOutcome.builder(action, EngineKind.SYSTEMD).engineReason(engineReason).plan(plan)
                .merged(merged).unmerged(i.unmerged()).status(status).messages(i.messages()).warnings(warnings)
                .build();
        return i.afterChange() == null ? o : o.withManager(ManagerSync.skipped("systemd-sysext reloads by itself")
                .failedBySystemdSysext("systemd-sysext " + action + " changed the merge, then failed (exit "
                        + r.exitCode() + "): " + i.afterChange() + "; run 'systemctl daemon-reload'"));
    }

    /**
     * What systemd-sysext's output says (visible for tests).
     *
     * @param failure why nothing changed (null when the merge changed or there was nothing to do)
     * @param afterChange the error of a run that failed after its mounts were done, which on 255+ is the manager
     *     reload ({@code Failed to get D-Bus connection}, §4.9): the merge stays
     */
    record Interpretation(List<String> messages, List<String> merged, List<String> unmerged, String failure,
            String afterChange) {
    }

    static Interpretation interpret(ProcessResult r) {
        List<String> messages = new ArrayList<>();
        List<String> merged = new ArrayList<>();
        List<String> unmerged = new ArrayList<>();
        String error = null;
        for (String line : (r.stderr() + "\n" + r.stdout()).split("\n")) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            messages.add(l);
            Matcher m = MERGED.matcher(l);
            if (m.matches()) {
                merged.add(m.group(1));
                continue;
            }
            m = UNMERGED.matcher(l);
            if (m.matches()) {
                unmerged.add(m.group(1));
                continue;
            }
            if (INFO.stream().noneMatch(p -> p.matcher(l).matches()) && error == null) {
                error = l;
            }
        }
        String failure = null;
        String afterChange = null;
        if (r.exitCode() != 0 && (!merged.isEmpty() || !unmerged.isEmpty()) && error != null
                && RELOAD_FAILURE.matcher(error).find()) {
            afterChange = error;
        } else if (r.exitCode() != 0) {
            failure = error != null ? error : r.lastErrorLine();
        } else if (error != null && merged.isEmpty()) {
            failure = error;
        }
        return new Interpretation(messages, merged, unmerged, failure, afterChange);
    }
}
