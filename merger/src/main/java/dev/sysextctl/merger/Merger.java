package dev.sysextctl.merger;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tools.SystemdSysext;
import dev.sysextctl.merger.config.ConfigChange;
import dev.sysextctl.merger.config.ExtensionLinks;
import dev.sysextctl.merger.config.Masks;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.IgnoredEntry;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.engine.EngineChoice;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.engine.NativeEngine;
import dev.sysextctl.merger.engine.PreparedMerge;
import dev.sysextctl.merger.engine.SystemdEngine;
import dev.sysextctl.merger.explain.Explainer;
import dev.sysextctl.merger.explain.Explanation;
import dev.sysextctl.merger.lock.NodeLock;
import dev.sysextctl.merger.manager.ServiceManager;
import dev.sysextctl.merger.mount.MergeMarkers;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.mount.OverlayOptions;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.node.Privileges;
import dev.sysextctl.merger.plan.HierarchyPlan;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.Layer;
import dev.sysextctl.merger.plan.MergePlan;
import dev.sysextctl.merger.status.HierarchyStatus;
import dev.sysextctl.merger.status.ImageList;
import dev.sysextctl.merger.status.ImageLister;
import dev.sysextctl.merger.status.StatusReader;
import dev.sysextctl.merger.status.UnfinishedChange;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Managing a node (docs/cli.md §6): the one entry point the CLI (and the converter) use. Commands
 * that change the node take the node lock; merges pick their engine here.
 */
public final class Merger {
    private final NativeTools tools;
    private final Clock clock;
    private final Duration lockWait;
    private NativeEngine nativeEngine;
    private SystemdEngine systemdEngine;
    private SystemdEngine systemdConfextEngine;
    private ServiceManager serviceManager;

    public Merger(NativeTools tools, Clock clock, Duration lockWait) {
        this(tools, clock, lockWait, null);
    }

    /** With another service manager (tests: a recording systemctl, a fixed answer to "is systemd PID 1?"). */
    public Merger(NativeTools tools, Clock clock, Duration lockWait, ServiceManager serviceManager) {
        this.tools = tools;
        this.clock = clock;
        this.lockWait = lockWait;
        this.serviceManager = serviceManager;
    }

    /* The engines and the service manager are made on first use: list, status and explain need none of them. */

    private NativeEngine nativeEngine() {
        if (nativeEngine == null) {
            nativeEngine = new NativeEngine(tools.mounter(), clock);
        }
        return nativeEngine;
    }

    private SystemdEngine systemdEngine(Node node) {
        if (node.extensionClass() == ExtensionClass.CONFEXT) {
            if (systemdConfextEngine == null) {
                systemdConfextEngine = new SystemdEngine(tools.systemdConfext());
            }
            return systemdConfextEngine;
        }
        if (systemdEngine == null) {
            systemdEngine = new SystemdEngine(tools.systemdSysext());
        }
        return systemdEngine;
    }

    /** The systemd tool of the node's class: systemd-sysext, or systemd-confext for confexts. */
    private SystemdSysext systemdTool(Node node) {
        return node.extensionClass() == ExtensionClass.CONFEXT ? tools.systemdConfext() : tools.systemdSysext();
    }

    private ServiceManager serviceManager() {
        if (serviceManager == null) {
            serviceManager = ServiceManager.system(tools.systemctl());
        }
        return serviceManager;
    }

    /** The result of enable/disable/mask/unmask, with the refresh {@code --now} ran (or null). */
    public record ConfigOutcome(ConfigChange change, MergeOutcome refresh, ExtensionClass extensionClass) {
        /** The outcome of a sysext change. */
        public ConfigOutcome(ConfigChange change, MergeOutcome refresh) {
            this(change, refresh, ExtensionClass.SYSEXT);
        }
    }

    public ImageList list(Node node) throws OperationFailedException {
        return ImageLister.list(node, tools.mounter(), tools.unsquashfs(), Privileges.isRoot());
    }

    public List<HierarchyStatus> status(Node node) throws OperationFailedException {
        return StatusReader.read(node);
    }

    public Explanation explain(Node node, String name) throws OperationFailedException {
        return Explainer.explain(node, name, tools.mounter(), tools.unsquashfs(), Privileges.isRoot());
    }

    /**
     * {@code enable}; with a {@link RefreshNow} ({@code --now}) the merge is refreshed afterwards, and on the running
     * system PID 1 follows (reload, units whose image left stopped).
     */
    public ConfigOutcome enable(Node node, ConfigRequest.Enable req) throws SysextctlException {
        return configure(node, req, () -> new ExtensionLinks(tools.mounter(), tools.unsquashfs()).enable(node,
                req.link()));
    }

    public ConfigOutcome disable(Node node, ConfigRequest.Disable req) throws SysextctlException {
        return configure(node, req, () -> new ExtensionLinks(tools.mounter(), tools.unsquashfs()).disable(node,
                req.name(), req.runtime()));
    }

    public ConfigOutcome mask(Node node, ConfigRequest.Mask req) throws SysextctlException {
        return configure(node, req, () -> Masks.mask(node, req.name()));
    }

    public ConfigOutcome unmask(Node node, ConfigRequest.Unmask req) throws SysextctlException {
        return configure(node, req, () -> Masks.unmask(node, req.name()));
    }

    private ConfigOutcome configure(Node node, ConfigRequest req, Locked<ConfigChange> change)
            throws SysextctlException {
        return withLock(node, req.action().word(), () -> {
            ConfigChange c = change.run();
            RefreshNow now = req.now();
            return new ConfigOutcome(c, now == null ? null : mergeLocked(node, now.engine(), now.options(),
                    MergeAction.REFRESH), node.extensionClass());
        });
    }

    public MergeOutcome merge(Node node, EngineKind engine, MergeOptions options) throws SysextctlException {
        return locked(node, engine, options, MergeAction.MERGE);
    }

    public MergeOutcome refresh(Node node, EngineKind engine, MergeOptions options) throws SysextctlException {
        return locked(node, engine, options, MergeAction.REFRESH);
    }

    public MergeOutcome unmerge(Node node, EngineKind engine, MergeOptions options) throws SysextctlException {
        return locked(node, engine, options, MergeAction.UNMERGE);
    }

    private MergeOutcome locked(Node node, EngineKind engine, MergeOptions options, MergeAction action)
            throws SysextctlException {
        if (options.dryRun()) {
            return mergeLocked(node, engine, options, action);
        }
        return withLock(node, action.verb(), () -> mergeLocked(node, engine, options, action));
    }

    /** A step run while holding the node lock. */
    @FunctionalInterface
    private interface Locked<T> {
        T run() throws SysextctlException;
    }

    private <T> T withLock(Node node, String command, Locked<T> body) throws SysextctlException {
        NodeLock lock = NodeLock.acquire(node, command, lockWait, clock);
        try {
            return body.run();
        } finally {
            lock.close();
        }
    }

    /**
     * Runs the change, then (not for a dry run) lets the running service manager follow it: the state PID 1 needs is
     * read before the change, the reload and the stopping of units happen after it ({@link ServiceManager}).
     */
    private MergeOutcome mergeLocked(Node node, EngineKind requested, MergeOptions options, MergeAction action)
            throws SysextctlException {
        if (options.dryRun()) {
            return change(node, requested, options, action).toBuilder().extensionClass(node.extensionClass()).build();
        }
        ServiceManager.Before before = serviceManager().before(node, options);
        UnfinishedChange.begin(node, action);
        MergeOutcome o;
        try {
            o = change(node, requested, options, action);
        } finally {
            UnfinishedChange.end(node);
        }
        int major = o.engine() == EngineKind.SYSTEMD ? systemdSysextMajor(node) : 0;
        return o.withManager(serviceManager().after(node, before, o.engine(), major, action, options,
                o.followUpError())).toBuilder().extensionClass(node.extensionClass()).build();
    }

    /** Whether systemd-sysext runs with {@code --no-reload} ({@link ServiceManager#passNoReload}). */
    private boolean systemdNoReload(Node node, MergeOptions options) {
        return serviceManager().passNoReload(node, options, systemdSysextMajor(node));
    }

    /** The release of the installed systemd-sysext (systemd-confext for confexts), or 0 when there is none. */
    private int systemdSysextMajor(Node node) {
        try {
            return systemdTool(node).version().major();
        } catch (OperationFailedException e) {
            return 0;
        }
    }

    private MergeOutcome change(Node node, EngineKind requested, MergeOptions options, MergeAction action)
            throws SysextctlException {
        // read once: the engine is chosen from it and the native engine plans from it
        Discovery discovery = ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        EngineChoice choice = choose(node, requested, discovery);
        if (options.imagePolicy() != null && action != MergeAction.UNMERGE && choice.engine() == EngineKind.SYSTEMD) {
            if (requested == EngineKind.SYSTEMD) {
                throw new UsageException("--image-policy is applied by sysextctl's native engine, not passed to "
                        + "systemd-sysext; use --engine native (or auto) with it");
            }
            choice = new EngineChoice(EngineKind.NATIVE, "--image-policy: the native engine applies the image policy");
        }
        if (action == MergeAction.UNMERGE) {
            if (choice.engine() == EngineKind.SYSTEMD && !options.dryRun()) {
                return systemdEngine(node).run(node, action, options, null, choice.reason(), List.of(),
                        systemdNoReload(node, options));
            }
            MergeOutcome o = nativeEngine().unmerge(node, options, choice.reason());
            return choice.engine() == EngineKind.NATIVE ? o : relabel(o, choice);
        }
        if (action == MergeAction.MERGE && !options.dryRun()) {
            failIfMerged(node);
        }
        if (choice.engine() == EngineKind.NATIVE) {
            PreparedMerge p = nativeEngine().prepare(node, options, !options.dryRun(), discovery);
            return options.dryRun() ? nativeEngine().dryRun(node, p, action, choice.reason())
                    : nativeEngine().execute(node, p, action, choice.reason());
        }
        SymlinkPolicy seen = systemdSymlinkPolicy(node);
        boolean auto = requested == EngineKind.AUTO;
        PreparedMerge p = auto || seen == SymlinkPolicy.FOLLOW_INSIDE_ROOT
                ? nativeEngine().prepare(node, options, auto && !options.dryRun(), discovery)
                : nativeEngine().prepare(node, options, false, seen);
        List<ImageAssessment> blockers = p.systemdBlockers();
        if (!blockers.isEmpty()) {
            String what = blockers.stream().map(b -> "'" + b.name() + "' (" + b.reason() + ")")
                    .collect(Collectors.joining(", "));
            if (auto) {
                String reason = "systemd-sysext would not merge anything because of " + what;
                return options.dryRun() ? nativeEngine().dryRun(node, p, action, reason)
                        : nativeEngine().execute(node, p, action, reason);
            }
            p.close();
            throw new RefusedException("systemd-sysext would merge nothing because of image " + what
                    + "; fix or remove it, or use --engine native, which skips it");
        }
        if (auto) {
            List<String> unmountable = systemdUnmountable(p.plan());
            if (!unmountable.isEmpty()) {
                String reason = "systemd-sysext cannot put " + String.join(", ", unmountable) + " in the overlay's "
                        + "mount options (\"Failed to mangle mount options\"); the native engine binds it to a "
                        + "plain alias";
                return options.dryRun() ? nativeEngine().dryRun(node, p, action, reason)
                        : nativeEngine().execute(node, p, action, reason);
            }
        }
        List<String> warnings = new ArrayList<>();
        for (IgnoredEntry e : p.discovery().ignored()) {
            if (e.reason().startsWith("a symlink")) {
                warnings.add(e.path() + " is not merged by systemd-sysext: " + e.reason()
                        + "; use --engine native to merge it");
            }
        }
        if (options.dryRun()) {
            return relabel(nativeEngine().dryRun(node, p, action, choice.reason()), choice, warnings);
        }
        p.close();
        return systemdEngine(node).run(node, action, options, p.plan(), choice.reason(), warnings,
                systemdNoReload(node, options));
    }

    /**
     * The layers of {@code plan} that systemd-sysext cannot mount: it writes every layer path into the overlay's
     * options as it is, and libmount's option parser refuses a {@code "} or a control character in them, which
     * fails the whole merge. Named by extension ({@code 'dq"uote'}) or, for the base layer, by path.
     */
    static List<String> systemdUnmountable(MergePlan plan) {
        List<String> out = new ArrayList<>();
        for (HierarchyPlan hp : plan.hierarchies()) {
            for (Layer l : hp.layers()) {
                String dir = l.path();
                if (dir != null && OverlayOptions.needsAlias(dir)) {
                    String what = l.kind() == Layer.Kind.EXTENSION ? "'" + l.name() + "'" : dir;
                    if (!out.contains(what)) {
                        out.add(what);
                    }
                }
            }
        }
        return out;
    }

    /** Which engine runs: native, or systemd where a systemd-sysext that can do this job is installed. */
    EngineChoice choose(Node node, EngineKind requested, Discovery discovery) throws OperationFailedException {
        if (requested == EngineKind.NATIVE) {
            return new EngineChoice(EngineKind.NATIVE, "--engine native");
        }
        String tool = node.extensionClass().systemdTool();
        SystemdSysext.Version v;
        try {
            v = systemdTool(node).version();
        } catch (OperationFailedException e) {
            if (requested == EngineKind.SYSTEMD) {
                throw e;
            }
            return new EngineChoice(EngineKind.NATIVE, tool + " is not available (" + e.getMessage() + ")");
        }
        if (requested == EngineKind.SYSTEMD) {
            return new EngineChoice(EngineKind.SYSTEMD, "--engine systemd (" + tool + " " + v.full() + ")");
        }
        if (systemdSymlinkPolicy(node, v.major()) == SymlinkPolicy.SKIP) {
            List<String> links = new ArrayList<>();
            for (ImageEntry e : discovery.images()) {
                if (e.isLink() && discovery.isWinner(e)) {
                    links.add(e.name());
                }
            }
            if (!links.isEmpty()) {
                return new EngineChoice(EngineKind.NATIVE, tool + " " + v.major() + " skips symlinked images "
                        + "under --root (" + String.join(", ", links) + ")");
            }
        }
        return new EngineChoice(EngineKind.SYSTEMD, tool + " " + v.full() + " is installed");
    }

    private SymlinkPolicy systemdSymlinkPolicy(Node node) {
        try {
            return systemdSymlinkPolicy(node, systemdTool(node).version().major());
        } catch (OperationFailedException e) {
            return SymlinkPolicy.FOLLOW_INSIDE_ROOT;
        }
    }

    private static SymlinkPolicy systemdSymlinkPolicy(Node node, int major) {
        return !node.isHostRoot() && major < 259 ? SymlinkPolicy.SKIP : SymlinkPolicy.FOLLOW_INSIDE_ROOT;
    }

    private static void failIfMerged(Node node) throws OperationFailedException {
        MountTable mounts = MountTable.self();
        for (String h : node.hierarchies()) {
            if (MergeMarkers.isOurs(node.resolve(h), mounts, node.extensionClass())) {
                throw new OperationFailedException("Hierarchy '" + h + "' is already merged; run 'sysextctl refresh' "
                        + "to merge again, or 'sysextctl unmerge' first");
            }
        }
    }

    private static MergeOutcome relabel(MergeOutcome o, EngineChoice choice) {
        return relabel(o, choice, o.warnings());
    }

    private static MergeOutcome relabel(MergeOutcome o, EngineChoice choice, List<String> extraWarnings) {
        return o.toBuilder().engine(choice.engine()).engineReason(choice.reason()).addWarnings(extraWarnings).build();
    }
}
