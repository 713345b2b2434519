package dev.sysextctl.cli;

import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.config.ConfigChange;
import dev.sysextctl.merger.engine.MergeOutcome;
import dev.sysextctl.merger.engine.MergedHierarchy;
import dev.sysextctl.merger.manager.ManagerSync;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.HierarchyPlan;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.Layer;
import dev.sysextctl.merger.status.HierarchyStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the node-management commands share: the {@link Merger}, and how outcomes are printed. */
final class MergerCli {
    static final String LOCK_WAIT_ENV = "SYSEXTCTL_LOCK_WAIT";

    /** How {@code status} prints since when a hierarchy is merged. */
    private static final class Since {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss zzz", Locale.ROOT);

        private Since() {
        }
    }

    /**
     * The zones {@link Since#FORMAT} names with a fixed abbreviation (its {@code zzz}), whose time is UTC's: there
     * {@link #since} writes the text itself. The formatter's zone and day names come from the locale data (the time
     * zone names of every region), most of a {@code status} run ({@code MergerCliTest} checks the texts agree).
     */
    static final Map<String, String> UTC_ZONES = Map.ofEntries(Map.entry("UTC", "UTC"), Map.entry("Etc/UTC", "UTC"),
            Map.entry("Etc/UCT", "UTC"), Map.entry("UCT", "UTC"), Map.entry("Etc/Universal", "UTC"),
            Map.entry("Universal", "UTC"), Map.entry("Etc/Zulu", "UTC"), Map.entry("Zulu", "UTC"),
            Map.entry("GMT", "GMT"), Map.entry("Etc/GMT", "GMT"), Map.entry("Etc/GMT0", "GMT"), Map.entry("GMT0", "GMT"),
            Map.entry("Etc/Greenwich", "GMT"), Map.entry("Greenwich", "GMT"));
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private MergerCli() {
    }

    static Merger merger() {
        Duration wait = Duration.ofSeconds(10);
        String env = System.getenv(LOCK_WAIT_ENV);
        if (env != null) {
            try {
                wait = Duration.ofMillis((long) (Double.parseDouble(env) * 1000));
            } catch (NumberFormatException ignored) {
                // keep the default
            }
        }
        return new Merger(NativeTools.system(), Clock.systemUTC(), wait);
    }

    /** One class's step of a command ({@code --class all} runs it per class). */
    @FunctionalInterface
    interface PerClass<T> {
        T run(Node node) throws Exception;
    }

    /**
     * What a command did for each class, and the first failure: with {@code --class all} the confexts are handled even
     * when the sysexts failed, as a node's systemd-sysext and systemd-confext units run apart; the caller prints what
     * was done, then throws {@link #failure} (the exit code of the first failure).
     */
    record PerClassResults<T>(List<T> done, Exception failure) {
        void throwFailure() throws Exception {
            if (failure != null) {
                throw failure;
            }
        }
    }

    static <T> PerClassResults<T> eachClass(List<Node> nodes, PerClass<T> body) {
        List<T> done = new java.util.ArrayList<>();
        Exception failure = null;
        for (Node n : nodes) {
            try {
                done.add(body.run(n));
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return new PerClassResults<>(done, failure);
    }

    /** One JSON document for one class, an array of them for several. */
    static Object oneOrAll(List<?> values, boolean several) {
        return several ? values : values.isEmpty() ? null : values.get(0);
    }

    /**
     * Since when, in the default zone as systemd-sysext prints it. In a UTC zone (the ID told by {@link LocalZone}
     * without reading the JDK's zone database, else by the JVM) the text is written here.
     */
    static String since(Long micros) {
        String id = LocalZone.id();
        return since(micros, id == null ? null : UTC_ZONES.get(id));
    }

    /** The UTC zone's name of the JVM's default zone (see {@link #UTC_ZONES}), or null when it is another zone. */
    static String defaultUtcName() {
        java.util.TimeZone zone = java.util.TimeZone.getDefault();
        String name = UTC_ZONES.get(zone.getID());
        return name != null && zone.getRawOffset() == 0 && !zone.useDaylightTime() ? name : null;
    }

    /**
     * {@link #since(Long)} with the default zone's UTC name {@code utc} when known (null: asked of the JVM, which
     * formats the other zones).
     */
    static String since(Long micros, String utc) {
        if (micros == null) {
            return "-";
        }
        long seconds = micros / 1_000_000;
        String name = utc != null ? utc : defaultUtcName();
        if (name != null) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
            if (t.getYear() >= 1000 && t.getYear() <= 9999) {
                StringBuilder b = new StringBuilder(28).append(DAYS[t.getDayOfWeek().getValue() - 1]).append(' ')
                        .append(t.getYear());
                two(b.append('-'), t.getMonthValue());
                two(b.append('-'), t.getDayOfMonth());
                two(b.append(' '), t.getHour());
                two(b.append(':'), t.getMinute());
                two(b.append(':'), t.getSecond());
                return b.append(' ').append(name).toString();
            }
        }
        return Since.FORMAT.format(Instant.ofEpochSecond(seconds).atZone(java.time.ZoneId.systemDefault()));
    }

    private static void two(StringBuilder b, int n) {
        b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /** systemd-sysext's status table. */
    static void printStatus(Console c, List<HierarchyStatus> status) {
        printStatus(c, status, false);
    }

    /** systemd-sysext's status table, with a CLASS column after the hierarchy when {@code showClass}. */
    static void printStatus(Console c, List<HierarchyStatus> status, boolean showClass) {
        int w = "HIERARCHY".length();
        int e = "EXTENSIONS".length();
        for (HierarchyStatus s : status) {
            w = Math.max(w, s.hierarchy().length());
            for (String x : s.extensions()) {
                e = Math.max(e, x.length());
            }
        }
        // the rows printed as one text (one write and flush instead of one per row) up to a note on stderr
        StringBuilder rows = new StringBuilder(256);
        rows.append(c.bold(statusRow(w, e, showClass, "HIERARCHY", "CLASS", "EXTENSIONS", "SINCE")));
        for (HierarchyStatus s : status) {
            if (!s.exists()) {
                continue;
            }
            String cls = showClass ? s.extensionClass().id() : "";
            if (!s.merged()) {
                line(rows, statusRow(w, e, showClass, s.hierarchy(), cls, "none", "-")
                        .replace(" none ", " " + c.grey("none") + " "));
            } else {
                List<String> ex = s.extensions();
                line(rows, statusRow(w, e, showClass, s.hierarchy(), cls, ex.isEmpty() ? "" : ex.get(0),
                        since(s.since())));
                for (int i = 1; i < ex.size(); i++) {
                    line(rows, statusRow(w, e, showClass, "", "", ex.get(i), "").stripTrailing());
                }
            }
            if (s.note() != null) {
                c.println(rows.toString());
                rows.setLength(0);
                c.info(s.hierarchy() + ": " + s.note());
            }
        }
        if (rows.length() > 0) {
            c.println(rows.toString());
        }
    }

    /** {@code row} as the next line of {@code rows} (after a line break when there is text before it). */
    private static void line(StringBuilder rows, String row) {
        if (rows.length() > 0) {
            rows.append(System.lineSeparator());
        }
        rows.append(row);
    }

    /**
     * One row of the status table: the hierarchy left-aligned in {@code w} columns, the class in 7 (with
     * {@code showClass}), the extension in {@code e}, then since when (what {@code %-Ns} would print, without a
     * {@link java.util.Formatter}).
     */
    static String statusRow(int w, int e, boolean showClass, String hierarchy, String cls, String extension,
            String since) {
        StringBuilder b = new StringBuilder(w + e + 40);
        ListCommand.pad(b, hierarchy, w).append(' ');
        if (showClass) {
            ListCommand.pad(b, cls, 7).append(' ');
        }
        return ListCommand.pad(b, extension, e).append(' ').append(since).toString();
    }

    static void printOutcome(Console c, MergeOutcome o) {
        for (String m : o.messages()) {
            c.info(m);
        }
        for (String w : o.warnings()) {
            c.warn(w);
        }
        c.debug("engine: " + o.engine().jsonName() + " (" + o.engineReason() + ")");
        if (o.dryRun()) {
            printPlan(c, o);
            return;
        }
        switch (o.action()) {
            case UNMERGE -> c.println(o.unmerged().isEmpty() ? "nothing was merged"
                    : "unmerged " + String.join(", ", o.unmerged()));
            default -> {
                if (o.merged().isEmpty()) {
                    c.println(o.unmerged().isEmpty() ? "nothing to merge" : "nothing to merge; unmerged "
                            + String.join(", ", o.unmerged()));
                } else {
                    c.println("merged " + quoted(o.plan() == null ? List.of() : o.plan().extensions()) + " into "
                            + o.merged().stream().map(MergedHierarchy::target).collect(Collectors.joining(", "))
                            + " (engine " + o.engine().jsonName() + ")");
                }
                printIgnored(c, o.ignored(), false);
            }
        }
        printManager(c, o.manager());
    }

    /** What PID 1 did after the change: reload, units stopped or left running. */
    static void printManager(Console c, ManagerSync m) {
        if (m == null) {
            return;
        }
        switch (m.reload()) {
            case RELOADED -> c.println("reloaded the service manager (" + m.reason() + ")");
            case BY_SYSTEMD_SYSEXT -> c.println("the service manager was reloaded: " + m.reason());
            default -> c.debug("service manager not reloaded: " + m.reason());
        }
        if (!m.stopped().isEmpty()) {
            c.println("stopped " + String.join(", ", m.stopped()) + " (unit file gone with the unmerged image)");
        }
        if (!m.leftRunning().isEmpty() && m.error() == null) {
            c.warn(String.join(", ", m.leftRunning()) + (m.leftRunning().size() == 1 ? " runs" : " run")
                    + " without a unit file (its image left; --no-stop); stop with 'systemctl stop "
                    + String.join(" ", m.leftRunning()) + "'");
        }
    }

    /**
     * 0, or 1 when something failed after the merge changed (the merge stays): one line on stderr saying what to
     * run, as systemd-sysext 257 fails when its reload fails.
     */
    static int exitCode(Console c, MergeOutcome o) {
        String error = o == null ? null : o.followUpError();
        if (error == null) {
            return ExitCodes.OK;
        }
        c.err().println("sysextctl: " + error);
        c.flush();
        return ExitCodes.FAILED;
    }

    static void printPlan(Console c, MergeOutcome o) {
        c.println(c.bold("plan") + " (" + o.action().verb() + ", engine " + o.engine().jsonName() + ": " + o.engineReason()
                + ")");
        if (o.action() == MergeAction.UNMERGE) {
            c.println(o.unmerged().isEmpty() ? "  nothing is merged" : "  unmerge " + String.join(", ", o.unmerged()));
            return;
        }
        if (o.plan() == null || o.plan().isEmpty()) {
            c.println("  nothing to merge" + (o.action() == MergeAction.REFRESH ? "; merged hierarchies would be unmerged"
                    : ""));
        } else {
            c.println("  extensions: " + quoted(o.plan().extensions()));
            for (HierarchyPlan h : o.plan().hierarchies()) {
                c.println("  " + c.bold(h.hierarchy()) + " -> " + h.target() + (h.createsMountPoint()
                        ? " (created)" : "") + ", layers top first:");
                for (Layer l : h.layers()) {
                    String label = switch (l.kind()) {
                        case META -> "[meta]";
                        case HOST -> "[host]";
                        case EXTENSION -> l.name();
                    };
                    c.println("    " + label + "  " + c.grey(l.path()));
                }
            }
        }
        printIgnored(c, o.ignored(), true);
    }

    static void printIgnored(Console c, List<ImageAssessment> ignored, boolean all) {
        boolean header = false;
        for (ImageAssessment a : ignored) {
            if (!all && a.shadowedBy() != null) {
                continue;
            }
            if (!header) {
                c.println(all ? "  ignored:" : "not merged:");
                header = true;
            }
            c.println((all ? "    " : "  ") + a.name() + " " + c.grey("(" + a.path() + ")") + ": "
                    + c.yellow(a.state().jsonName()) + (a.reason() == null ? "" : ", " + a.reason()));
            if (a.systemdMessage() != null) {
                c.debug("      systemd: " + a.systemdMessage());
            }
        }
    }

    static void printChange(Console c, ConfigChange ch) {
        for (String p : ch.created()) {
            c.println("created " + p + (ch.linkTarget() != null ? " -> " + ch.linkTarget() : "")
                    + (ch.previousTarget() != null ? " (was -> " + ch.previousTarget() + ")" : ""));
        }
        for (String p : ch.removed()) {
            c.println("removed " + p);
        }
        if (!ch.changed()) {
            c.println("nothing changed");
        }
        for (String n : ch.notes()) {
            c.info(n);
        }
    }

    static Map<String, Object> configJson(Merger.ConfigOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", o.extensionClass());
        m.put("change", o.change());
        m.put("refresh", o.refresh());
        return m;
    }

    static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }
}
