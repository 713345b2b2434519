package dev.sysextctl.merger.lab;

import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.merger.mount.MountEntry;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.mount.Shell;
import dev.sysextctl.testing.MountNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a merge by the real systemd-sysext 252 or by sysextctl's native engine on a scratch root, inside a fresh
 * private mount namespace each (docs/testing.md §1), reads what it left, unmerges, and reads again.
 * <ul>
 * <li>{@link Mode#ROOT}: {@code systemd-sysext --root=R} (252 skips symlinks in search dirs there)</li>
 * <li>{@link Mode#CHROOT}: R bound on itself with the host's /usr under R's own /usr, then
 * {@code chroot R systemd-sysext} (symlinks followed, docs/compatibility.md §0); the native engine gets
 * {@code --root R} in the same set-up</li>
 * </ul>
 */
public final class Lab {
    /** How systemd-sysext is run. */
    public enum Mode { ROOT, CHROOT }

    /** Which engine merges. */
    public enum Engine { SYSTEMD, NATIVE }

    private Lab() {
    }

    /** A run's settings. */
    public record Run(Engine engine, Mode mode, Map<String, String> env, boolean forced, List<String> probes,
            List<String> hierarchies, String setup, String verb, String after, boolean unmerge) {
        public static Run of(Engine engine) {
            return new Run(engine, Mode.ROOT, Map.of(), false, List.of(), List.of("/usr", "/opt"), "", "merge", "",
                    true);
        }

        public Run mode(Mode m) {
            return new Run(engine, m, env, forced, probes, hierarchies, setup, verb, after, unmerge);
        }

        public Run env(String k, String v) {
            Map<String, String> e = new LinkedHashMap<>(env);
            e.put(k, v);
            return new Run(engine, mode, e, forced, probes, hierarchies, setup, verb, after, unmerge);
        }

        public Run force() {
            return new Run(engine, mode, env, true, probes, hierarchies, setup, verb, after, unmerge);
        }

        public Run probes(String... paths) {
            return new Run(engine, mode, env, forced, List.of(paths), hierarchies, setup, verb, after, unmerge);
        }

        public Run hierarchies(String... hs) {
            return new Run(engine, mode, env, forced, probes, List.of(hs), setup, verb, after, unmerge);
        }

        /** Shell run in the namespace before the merge ({@code $R} is the root). */
        public Run setup(String script) {
            return new Run(engine, mode, env, forced, probes, hierarchies, script, verb, after, unmerge);
        }

        public Run verb(String v) {
            return new Run(engine, mode, env, forced, probes, hierarchies, setup, v, after, unmerge);
        }

        /** Shell run after the merge and its snapshot, before the unmerge; its output is {@link Snapshot#extra}. */
        public Run after(String script) {
            return new Run(engine, mode, env, forced, probes, hierarchies, setup, verb, script, unmerge);
        }

        public Run noUnmerge() {
            return new Run(engine, mode, env, forced, probes, hierarchies, setup, verb, after, false);
        }
    }

    /** The command that runs {@code verb} with the given engine, as a shell line ({@code $R} is the root). */
    public static String command(Run run, String verb) {
        StringBuilder env = new StringBuilder();
        run.env().forEach((k, v) -> env.append(k).append('=').append(Shell.quote(v)).append(' '));
        String prefix = env.length() == 0 ? "" : "env " + env;
        if (run.engine() == Engine.SYSTEMD) {
            String force = run.forced() && !verb.equals("unmerge") ? " --force" : "";
            return run.mode() == Mode.CHROOT ? "chroot \"$R\" " + prefix + "systemd-sysext" + force + " " + verb
                    : prefix + "systemd-sysext --root=\"$R\"" + force + " " + verb;
        }
        return prefix + java() + " -cp " + Shell.quote(classpath()) + " " + LabMain.class.getName() + " " + verb
                + " \"$R\"" + (run.forced() && !verb.equals("unmerge") ? " --force" : "");
    }

    /** A shell line running {@link LabMain} with {@code args} (the merger's API in its own process). */
    public static String labMain(String args) {
        return java() + " -cp " + Shell.quote(classpath()) + " " + LabMain.class.getName() + " " + args;
    }

    /**
     * The text a namespace script printed between its line {@code @@NAME} and the next {@code @@} (stripped), or
     * an empty string when it printed no such line.
     */
    public static String section(String out, String name) {
        int i = out.indexOf("@@" + name + "\n");
        if (i < 0) {
            return "";
        }
        int from = i + name.length() + 3;
        int end = out.indexOf("@@", from);
        return out.substring(from, end < 0 ? out.length() : end).strip();
    }

    public static String java() {
        return Shell.quote(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";
    }

    public static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
    }

    /** Runs the merge in a fresh namespace and snapshots it. */
    public static Snapshot run(Layout layout, Run run) {
        Path root = layout.root();
        StringBuilder s = new StringBuilder();
        s.append("R=").append(Shell.quote(root.toString())).append('\n');
        if (run.mode() == Mode.CHROOT) {
            s.append("mount --bind \"$R\" \"$R\" && mount -t overlay -o \"lowerdir=$R/usr:/usr\" chrootusr \"$R/usr\""
                    + " && mount --rbind /dev \"$R/dev\" && mount -t proc proc \"$R/proc\" && mount --rbind /sys "
                    + "\"$R/sys\" && mount -t tmpfs tmpfs \"$R/run\" && mount --make-shared \"$R/run\" || exit 97\n");
        }
        s.append(run.setup()).append('\n');
        s.append("echo @@merge; ").append(command(run, run.verb())).append(" 2>&1; echo \"@@rc $?\"\n");
        for (String h : run.hierarchies()) {
            String p = resolved(root, h);
            s.append("echo '@@h ").append(h).append("'; awk -v mp=").append(Shell.quote(p))
                    .append(" '$5 == mp' /proc/self/mountinfo; echo @@ext; cat ").append(Shell.quote(p))
                    .append("/.systemd-sysext/extensions 2>/dev/null; echo @@dev; cat ").append(Shell.quote(p))
                    .append("/.systemd-sysext/dev 2>/dev/null; echo @@stdev; stat -c '%Hd:%Ld' ")
                    .append(Shell.quote(p)).append(" 2>/dev/null; echo @@end\n");
        }
        for (String f : run.probes()) {
            s.append("echo '@@file ").append(f).append("'; if cat \"$R\"/").append(Shell.quote(f.substring(1)))
                    .append(" 2>/dev/null; then echo; else echo @@absent; fi\n");
        }
        s.append("echo @@extra\n").append(run.after()).append('\n');
        if (run.unmerge()) {
            s.append("echo @@unmerge; ").append(command(run, "unmerge")).append(" 2>&1; echo \"@@urc $?\"\n");
        }
        s.append("echo @@after; awk -v r=").append(Shell.quote(root + "/"))
                .append(" 'index($5, r) == 1' /proc/self/mountinfo\n");
        s.append("echo @@tree; cd \"$R\" && find . -path ./run -prune -o -path ./proc -prune -o -path ./dev -prune "
                + "-o -path ./sys -prune -o -printf '%p %M\\n' | sort\n");
        dev.sysextctl.testing.Shell.Result r = MountNamespace.run(s.toString());
        Snapshot snap = parse(r.stdout() + "\n@@stderr\n" + r.stderr(), root, run.mode(), run.engine());
        if (snap.rc() < 0) {
            throw new AssertionError("the namespace script stopped before the merge ran (exit " + r.exitCode()
                    + ")\n" + snap.transcript());
        }
        return snap;
    }

    static String resolved(Path root, String h) {
        try {
            return RootedPaths.resolve(root, h).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Snapshot parse(String out, Path root, Mode mode, Engine engine) {
        String[] lines = out.split("\n", -1);
        StringBuilder merge = new StringBuilder();
        StringBuilder unmerge = new StringBuilder();
        StringBuilder extra = new StringBuilder();
        Map<String, Snapshot.Hierarchy> hs = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        List<String> mountsAfter = new ArrayList<>();
        List<String> tree = new ArrayList<>();
        int rc = -1;
        int urc = -1;
        String section = "";
        String h = null;
        List<String> mountLines = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        String[] hv = new String[3];
        String file = null;
        for (String line : lines) {
            if (line.startsWith("@@rc ")) {
                rc = Integer.parseInt(line.substring(5).trim());
                section = "";
                continue;
            }
            if (line.startsWith("@@urc ")) {
                urc = Integer.parseInt(line.substring(6).trim());
                section = "";
                continue;
            }
            if (line.startsWith("@@h ")) {
                h = line.substring(4);
                mountLines = new ArrayList<>();
                hv = new String[3];
                section = "mounts";
                continue;
            }
            if (line.equals("@@ext") || line.equals("@@dev") || line.equals("@@stdev")) {
                if (!section.equals("mounts")) {
                    hv[idx(section)] = field.toString().strip();
                }
                field.setLength(0);
                section = line.substring(2);
                continue;
            }
            if (line.equals("@@end")) {
                hv[idx(section)] = field.toString().strip();
                field.setLength(0);
                MountTable t = MountTable.parse(String.join("\n", mountLines));
                MountEntry top = t.entries().isEmpty() ? null : t.entries().get(t.entries().size() - 1);
                boolean sysext = top != null && top.fsType().equals("overlay") && top.source().equals("sysext");
                List<String> lower = new ArrayList<>();
                if (sysext) {
                    for (String l : top.lowerDirs()) {
                        lower.add(normalize(l, root, mode == Mode.CHROOT && engine == Engine.SYSTEMD));
                    }
                }
                hs.put(h, new Snapshot.Hierarchy(h, sysext, lower, top == null ? null : top.options(),
                        hv[0].isEmpty() ? null : hv[0], hv[1].isEmpty() ? null : hv[1], hv[2],
                        t.entries().size()));
                section = "";
                continue;
            }
            if (line.startsWith("@@file ")) {
                file = line.substring(7);
                section = "file";
                continue;
            }
            switch (line) {
                case "@@merge" -> { section = "merge"; continue; }
                case "@@extra" -> { section = "extra"; continue; }
                case "@@unmerge" -> { section = "unmerge"; continue; }
                case "@@after" -> { section = "after"; continue; }
                case "@@tree" -> { section = "tree"; continue; }
                case "@@stderr" -> { section = "stderr"; continue; }
                default -> { }
            }
            switch (section) {
                case "merge" -> merge.append(line).append('\n');
                case "unmerge" -> unmerge.append(line).append('\n');
                case "extra" -> extra.append(line).append('\n');
                case "mounts" -> mountLines.add(line);
                case "ext", "dev", "stdev" -> field.append(line).append('\n');
                case "file" -> {
                    files.put(file, line.equals("@@absent") ? null : line);
                    section = "";
                }
                case "after" -> {
                    if (!line.isBlank()) {
                        mountsAfter.add(line);
                    }
                }
                case "tree" -> {
                    if (!line.isBlank()) {
                        tree.add(line);
                    }
                }
                case "stderr" -> merge.append(line.isBlank() ? "" : "[ns] " + line + "\n");
                default -> { }
            }
        }
        return new Snapshot(rc, merge.toString(), hs, files, urc, unmerge.toString(), mountsAfter, tree,
                extra.toString(), out);
    }

    private static int idx(String section) {
        return switch (section) {
            case "ext" -> 0;
            case "dev" -> 1;
            default -> 2;
        };
    }

    /** Layer paths with the root written as {@code <R>} (chroot-relative host paths too). */
    static String normalize(String p, Path root, boolean chrootRelative) {
        String r = root.toString();
        if (p.equals(r) || p.startsWith(r + "/")) {
            return "<R>" + p.substring(r.length());
        }
        if (chrootRelative && !p.startsWith("/run/systemd/sysext")) {
            return "<R>" + p;
        }
        return p;
    }

    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
