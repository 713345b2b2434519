package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.LabMain;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.mount.Shell;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.TrixieChroot;
import dev.sysextctl.testing.TrixieTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs one confext layout through the real systemd-confext 257 (in the trixie chroot, docs/testing.md §2) and
 * through sysextctl's native engine ({@code --class confext}, {@code --root}), each on its own copy of the same root
 * (the trixie tree with the layout on top, in an overlay) in its own private mount namespace, and reads what each
 * left: exit code and messages, the overlay on {@code /etc} (layers, options), the markers, the whole merged
 * {@code /etc} entry by entry (type, mode, owner, link target, SHA-256 of the content), and after the unmerge the
 * tree again.
 *
 * <p>The root is bound onto itself and made recursively shared: systemd-confext 257 merges in a child mount namespace
 * and its overlay on {@code /etc} reaches the caller only through shared propagation (without it the merge reports
 * success and {@code /etc} stays as it was).
 */
final class ConfextDifferential {
    static final String MARKERS = ".systemd-confext";

    private ConfextDifferential() {
    }

    /** Which engine merges. */
    enum Engine { SYSTEMD, NATIVE }

    /** A scenario: the layout (files on top of the trixie root), what goes to /run, and what runs around the merge. */
    record Scenario(Consumer<Layout> build, Consumer<Layout> run, Map<String, String> env, String between,
            boolean refresh, String imagePolicy) {
        static Scenario of(Consumer<Layout> build) {
            return new Scenario(build, l -> { }, Map.of(), "", false, null);
        }

        /** {@code --image-policy POLICY} for the merge and the refresh of both engines. */
        Scenario imagePolicy(String policy) {
            return new Scenario(build, run, env, between, refresh, policy);
        }

        /** Images placed in {@code /run} (a tmpfs in the namespace), laid out here and copied in after mounting. */
        Scenario run(Consumer<Layout> r) {
            return new Scenario(build, r, env, between, refresh, imagePolicy);
        }

        Scenario env(String k, String v) {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put(k, v);
            return new Scenario(build, run, e, between, refresh, imagePolicy);
        }

        /** Shell run after the merge ({@code $R} the root), then {@code refresh}, and the state read again. */
        Scenario thenRefresh(String script) {
            return new Scenario(build, run, env, script, true, imagePolicy);
        }
    }

    /** What one engine left. */
    record Result(int rc, String output, boolean mounted, List<String> lowerDirs, String options, String confexts,
            String dev, String stDev, List<String> before, List<String> tree, int refreshRc, boolean refreshMerged,
            String refreshConfexts, List<String> refreshTree, int unmergeRc, String unmergeOutput,
            List<String> after, String left, String transcript) {

        /** The names in the {@code confexts} marker, in order. */
        List<String> merged() {
            return confexts == null ? List.of() : List.of(confexts.split("\n")).stream().filter(s -> !s.isBlank())
                    .toList();
        }

        /** One entry of the merged /etc, or null. */
        String entry(String path) {
            for (String l : tree) {
                if (l.endsWith(" ./" + path) || l.contains(" ./" + path + " ")) {
                    return l;
                }
            }
            return null;
        }
    }

    /** The two runs of one scenario. */
    record Pair(Result systemd, Result nativeRun) {
        @Override
        public String toString() {
            return "=== systemd-confext 257 ===\n" + systemd.transcript() + "\n=== native ===\n"
                    + nativeRun.transcript();
        }
    }

    static Pair run(Path tmp, String id, Scenario scenario) {
        Layout a = Layout.create(tmp.resolve(id + "-systemd/upper"));
        scenario.build().accept(a);
        Layout ra = Layout.at(tmp.resolve(id + "-systemd/run"));
        ra.mkdirs("confexts");
        scenario.run().accept(ra);
        copy(tmp.resolve(id + "-systemd"), tmp.resolve(id + "-native"));
        return new Pair(run(tmp.resolve(id + "-systemd"), Engine.SYSTEMD, scenario),
                run(tmp.resolve(id + "-native"), Engine.NATIVE, scenario));
    }

    private static void copy(Path from, Path to) {
        dev.sysextctl.testing.Shell.run("cp", "-a", from.toString(), to.toString()).assertSuccess();
    }

    static String command(Engine engine, String verb, Map<String, String> env) {
        return command(engine, verb, env, null);
    }

    static String command(Engine engine, String verb, Map<String, String> env, String imagePolicy) {
        if (imagePolicy != null) {
            verb += engine == Engine.SYSTEMD ? " --image-policy=" + Shell.quote(imagePolicy) : "";
        }
        StringBuilder e = new StringBuilder();
        env.forEach((k, v) -> e.append(k).append('=').append(Shell.quote(v)).append(' '));
        String prefix = e.length() == 0 ? "" : "env " + e;
        if (engine == Engine.SYSTEMD) {
            return "chroot \"$R\" " + prefix + "systemd-confext " + verb;
        }
        return prefix + Lab.java() + " -cp " + Shell.quote(Lab.classpath()) + " " + LabMain.class.getName() + " "
                + verb + " \"$R\" --class confext" + (imagePolicy == null ? "" : " --image-policy "
                + Shell.quote(imagePolicy));
    }

    private static String etcTree(String label) {
        return "echo @@" + label + "; (cd \"$R/etc\" && find . -path ./" + MARKERS + " -prune -o "
                + "-printf '%y %m %U:%G %p %l\\n' | sort; find . -path ./" + MARKERS + " -prune -o -type f "
                + "-exec sha256sum {} + | sort -k2 | sed 's/^/# /')\n";
    }

    static Result run(Path dir, Engine engine, Scenario scenario) {
        try {
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("root"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String r = dir.resolve("root").toString();
        StringBuilder s = new StringBuilder(TrixieChroot.mountRoot(TrixieTools.chroot(), dir.resolve("upper"),
                dir.resolve("work"), r));
        s.append("mount --make-rshared $R\n");
        s.append("cp -a ").append(Shell.quote(dir.resolve("run").toString())).append("/. \"$R/run/\"\n");
        s.append("set +e\n");
        s.append(etcTree("before"));
        s.append("echo @@merge; ").append(command(engine, "merge", scenario.env(), scenario.imagePolicy())).append(" 2>&1; echo \"@@rc $?\"\n");
        state(s, "");
        s.append(etcTree("tree"));
        if (scenario.refresh()) {
            s.append(scenario.between()).append('\n');
            s.append("echo @@refresh; ").append(command(engine, "refresh", scenario.env(), scenario.imagePolicy()))
                    .append(" 2>&1; echo \"@@rrc $?\"\n");
            state(s, "r");
            s.append(etcTree("rtree"));
        }
        s.append("echo @@unmerge; ").append(command(engine, "unmerge", scenario.env()))
                .append(" 2>&1; echo \"@@urc $?\"\n");
        s.append("echo @@left; awk -v mp=\"$R/etc\" '$5 == mp' /proc/self/mountinfo\n");
        s.append(etcTree("after"));
        dev.sysextctl.testing.Shell.Result res = MountNamespace.run(s.toString());
        return parse(res.stdout() + "\n@@stderr\n" + res.stderr(), r, engine);
    }

    private static void state(StringBuilder s, String p) {
        s.append("echo @@").append(p).append("mount; awk -v mp=\"$R/etc\" '$5 == mp' /proc/self/mountinfo | tail -1\n");
        s.append("echo @@").append(p).append("confexts; cat \"$R/etc/").append(MARKERS).append("/confexts\" 2>/dev/null\n");
        s.append("echo @@").append(p).append("dev; cat \"$R/etc/").append(MARKERS).append("/dev\" 2>/dev/null\n");
        s.append("echo @@").append(p).append("stdev; stat -c '%Hd:%Ld' \"$R/etc\"\n");
    }

    static Result parse(String out, String root, Engine engine) {
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        Map<String, Integer> codes = new LinkedHashMap<>();
        String section = "";
        for (String line : out.split("\n", -1)) {
            if (line.matches("@@(rc|rrc|urc) -?\\d+")) {
                String[] kv = line.substring(2).split(" ");
                codes.put(kv[0], Integer.parseInt(kv[1]));
                section = "";
                continue;
            }
            if (line.startsWith("@@") && line.length() > 2 && line.indexOf(' ') < 0) {
                section = line.substring(2);
                sections.putIfAbsent(section, new StringBuilder());
                continue;
            }
            sections.computeIfAbsent(section, k -> new StringBuilder()).append(line).append('\n');
        }
        String mount = text(sections, "mount");
        String rmount = text(sections, "rmount");
        String transcript = out;
        return new Result(codes.getOrDefault("rc", -1), text(sections, "merge"), !mount.isEmpty(),
                lowerDirs(mount, root, engine), options(mount), nullIfEmpty(text(sections, "confexts")),
                nullIfEmpty(text(sections, "dev")), text(sections, "stdev"), lines(sections, "before"),
                lines(sections, "tree"), codes.getOrDefault("rrc", -1), !rmount.isEmpty(),
                nullIfEmpty(text(sections, "rconfexts")), lines(sections, "rtree"), codes.getOrDefault("urc", -1),
                text(sections, "unmerge"), lines(sections, "after"), text(sections, "left"), transcript);
    }

    private static String text(Map<String, StringBuilder> s, String k) {
        StringBuilder b = s.get(k);
        return b == null ? "" : b.toString().strip();
    }

    private static String nullIfEmpty(String s) {
        return s.isEmpty() ? null : s;
    }

    private static List<String> lines(Map<String, StringBuilder> s, String k) {
        String t = text(s, k);
        return t.isEmpty() ? List.of() : List.of(t.split("\n"));
    }

    /** The mount options of a mountinfo line (field 6). */
    static String options(String mountinfo) {
        if (mountinfo.isEmpty()) {
            return null;
        }
        return mountinfo.split(" ")[5];
    }

    /** The overlay's lower layers, the root written as {@code <R>} (systemd's chroot-relative paths too). */
    static List<String> lowerDirs(String mountinfo, String root, Engine engine) {
        List<String> out = new ArrayList<>();
        int i = mountinfo.indexOf("lowerdir=");
        if (i < 0) {
            return out;
        }
        String v = mountinfo.substring(i + "lowerdir=".length()).split(",")[0];
        for (String l : v.split("(?<!\\\\):")) {
            if (l.startsWith(root)) {
                out.add("<R>" + l.substring(root.length()));
            } else if (engine == Engine.SYSTEMD && !l.startsWith("/run/")) {
                out.add("<R>" + l);
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * systemd's info lines (and the native engine's equivalents), the root's /etc written as {@code '/etc'}, and the
     * images of {@code Using extensions} by name: 257 lists file names ({@code 'foo.raw'}), the native engine image
     * names ({@code 'foo'}), docs/compatibility.md §8 ({@code ConfextDeliberateDifferencesIT}).
     */
    static List<String> logLines(String output) {
        List<String> out = new ArrayList<>();
        for (String l : output.split("\n")) {
            if (l.startsWith("Using extensions")) {
                out.add(l.replaceAll("(\\.confext)?\\.raw'", "'"));
            } else if (l.startsWith("Merged extensions into") || l.startsWith("No extensions found")
                    || l.startsWith("No suitable extensions found")) {
                out.add(l.replaceAll("'/[^']*/root/etc'", "'/etc'"));
            }
        }
        return out;
    }

    /**
     * Both engines merged the same: exit code, whether /etc is merged, the overlay's layers and options, the
     * {@code confexts} marker, a {@code dev} marker that matches the mount on each side, the whole merged /etc entry by
     * entry, the log lines; after a refresh the same again; after the unmerge no overlay on /etc and /etc as before.
     */
    static void assertSame(Pair p) {
        Result s = p.systemd();
        Result n = p.nativeRun();
        assertThat(s.rc()).as("systemd-confext ran\n%s", p).isNotNegative();
        assertThat(n.rc()).as("exit code\n%s", p).isEqualTo(s.rc());
        assertThat(n.mounted()).as("/etc merged\n%s", p).isEqualTo(s.mounted());
        assertThat(n.confexts()).as("confexts marker\n%s", p).isEqualTo(s.confexts());
        assertThat(n.lowerDirs()).as("layers of /etc\n%s", p).isEqualTo(s.lowerDirs());
        assertThat(n.options()).as("mount options of /etc\n%s", p).isEqualTo(s.options());
        if (s.mounted()) {
            assertThat(s.dev()).as("systemd's dev marker\n%s", p).isEqualTo(s.stDev());
            assertThat(n.dev()).as("native dev marker\n%s", p).isEqualTo(n.stDev()).matches("\\d+:\\d+");
        }
        assertThat(n.before()).as("/etc before the merge (the same root)\n%s", p).isEqualTo(s.before());
        assertThat(n.tree()).as("the merged /etc, entry by entry\n%s", p).isEqualTo(s.tree());
        assertThat(logLines(n.output())).as("log lines\n%s", p).isEqualTo(logLines(s.output()));
        assertThat(n.refreshRc()).as("refresh exit code\n%s", p).isEqualTo(s.refreshRc());
        assertThat(n.refreshMerged()).as("/etc merged after refresh\n%s", p).isEqualTo(s.refreshMerged());
        assertThat(n.refreshConfexts()).as("confexts marker after refresh\n%s", p).isEqualTo(s.refreshConfexts());
        assertThat(n.refreshTree()).as("/etc after refresh\n%s", p).isEqualTo(s.refreshTree());
        assertThat(n.unmergeRc()).as("unmerge exit code\n%s", p).isEqualTo(s.unmergeRc());
        assertThat(n.left()).as("mounts on /etc after the unmerge\n%s", p).isEmpty();
        assertThat(s.left()).as("mounts on /etc after systemd's unmerge\n%s", p).isEmpty();
        assertThat(n.after()).as("/etc after the unmerge\n%s", p).isEqualTo(s.after()).isEqualTo(n.before());
        assertThat(s.after()).as("systemd's unmerge restores /etc\n%s", p).isEqualTo(s.before());
    }
}
