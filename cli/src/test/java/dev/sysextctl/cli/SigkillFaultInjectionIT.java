package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at seeded random moments (at least 100 trials over {@code build}, {@code convert}, {@code enable},
 * {@code mask}, {@code merge} and {@code refresh}), with the packaged jar in a scratch root. After each kill:
 * the output is absent or whole (byte-equal to the old or the new reference image), the link or mask is the old
 * or the new one, no process the killed run started is left (each run is its own session), and the next run
 * succeeds and leaves no temporary file, staging directory, mount or loop device behind. The seed is
 * {@code -Dsigkill.seed=N} (printed on failure), so a failing trial replays.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unsquashfs", "mkfs.erofs", "unshare", "setsid",
        "setpriv", "losetup"})
class SigkillFaultInjectionIT {
    private static final long SEED = Long.getLong("sigkill.seed", 20261206L);

    @TempDir
    Path tmp;

    private final Random random = new Random(SEED);
    private int trials;

    /** The launcher's JVM options (C1, Serial GC, the jar's CDS archive when there is one). */
    private static List<String> java(Path tmpdir) {
        Path jar = Jar.path();
        List<String> argv = new ArrayList<>(List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m", "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + tmpdir));
        Path cds = jar.resolveSibling("sysextctl.jsa");
        if (Files.isRegularFile(cds)) {
            argv.addAll(List.of("-XX:SharedArchiveFile=" + cds, "-Xshare:auto", "-Xlog:cds*=off"));
        }
        argv.addAll(List.of("-jar", jar.toString()));
        return argv;
    }

    @Test
    void killedCommandsLeaveOldOrNewStateAndTheNextRunCleansUp() throws Exception {
        Path privateTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        buildTrials(privateTmp, "squashfs", 18);
        buildTrials(privateTmp, "erofs", 8);
        convertTrials(privateTmp, 12);
        linkTrials(privateTmp, 14, 12);
        mountTrials(privateTmp, 14, 22);
        assertThat(trials).as("trials (seed %d)", SEED).isGreaterThanOrEqualTo(100);
    }

    // --- build -------------------------------------------------------------------------------------------

    private void buildTrials(Path privateTmp, String format, int n) throws Exception {
        Path oldTree = tree("old-" + format, 1);
        Path newTree = tree("new-" + format, 2);
        Path refs = Files.createDirectories(tmp.resolve("refs-" + format));
        long started = System.nanoTime();
        byte[] newRef = buildOk(privateTmp, newTree, refs.resolve("web.raw"), format);
        long duration = System.nanoTime() - started;
        byte[] oldRef = buildOk(privateTmp, oldTree, refs.resolve("old/web.raw"), format);
        assertThat(buildOk(privateTmp, newTree, refs.resolve("again/web.raw"), format))
                .as("the builder is reproducible (the reference for 'whole')").isEqualTo(newRef);
        Path out = Files.createDirectories(tmp.resolve("out-" + format));
        Path image = out.resolve("web.raw");
        for (int i = 0; i < n; i++) {
            boolean hadOld = i % 2 == 0;
            Files.deleteIfExists(image);
            if (hadOld) {
                Files.write(image, oldRef);
            }
            String what = "build " + format + " trial " + i + " (seed " + SEED + ")";
            Killed k = killAfter(command(privateTmp, "build", newTree.toString(), "--name", "web", "--format",
                    format, "--compression", compression(format), "-o", image.toString(), "--force"), delay(duration), what);
            if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
                byte[] now = Files.readAllBytes(image);
                assertThat(Arrays.equals(now, newRef) || hadOld && Arrays.equals(now, oldRef))
                        .as("%s: the image is the old or the new one, whole (%d bytes)", what, now.length).isTrue();
            }
            Shell.Result next = run(command(privateTmp, "build", newTree.toString(), "--name", "web", "--format",
                    format, "--compression", compression(format), "-o", image.toString(), "--force"));
            assertThat(next.exitCode()).as("%s: the next build succeeds: %s", what, next).isZero();
            assertThat(Files.readAllBytes(image)).as(what).isEqualTo(newRef);
            assertThat(names(out)).as("%s: no temporary image or staged tree is left (killed at %d ms)", what,
                    k.delayMs()).containsExactly("web.raw");
            assertThat(names(privateTmp)).as(what).noneMatch(f -> f.startsWith("sysextctl-"));
            trials++;
        }
    }

    private Path tree(String name, int variant) throws IOException {
        Path t = tmp.resolve("tree-" + name);
        Path data = Files.createDirectories(t.resolve("usr/share/web"));
        Random r = new Random(variant);
        for (int i = 0; i < 4; i++) {
            byte[] b = new byte[1 << 18];
            r.nextBytes(b);
            Files.write(data.resolve("blob" + i), b);
        }
        Files.writeString(data.resolve("version"), "v" + variant + "\n");
        Files.createDirectories(t.resolve("usr/lib/extension-release.d"));
        Files.writeString(t.resolve("usr/lib/extension-release.d/extension-release.web"), "ID=_any\n");
        return t;
    }

    /** Fast compressors: the kills are spread over the run, whatever it spends its time on. */
    private static String compression(String format) {
        return format.equals("erofs") ? "lz4" : "gzip";
    }

    private byte[] buildOk(Path privateTmp, Path tree, Path out, String format) throws IOException {
        Files.createDirectories(out.getParent());
        Shell.Result r = run(command(privateTmp, "build", tree.toString(), "--name", "web", "--format", format,
                "--compression", compression(format), "-o", out.toString(), "--force"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        return Files.readAllBytes(out);
    }

    // --- convert -----------------------------------------------------------------------------------------

    private void convertTrials(Path privateTmp, int n) throws Exception {
        Path archive = TorcxFixtures.f1(Files.createDirectories(tmp.resolve("torcx")));
        Path refs = Files.createDirectories(tmp.resolve("refs-torcx"));
        long started = System.nanoTime();
        Shell.Result ref = run(command(privateTmp, "convert", "torcx-image", archive.toString(), "-o",
                refs.resolve("docker.raw").toString()));
        long duration = System.nanoTime() - started;
        assertThat(ref.exitCode()).as("%s", ref).isZero();
        byte[] newRef = Files.readAllBytes(refs.resolve("docker.raw"));
        Path out = Files.createDirectories(tmp.resolve("out-torcx"));
        Path image = out.resolve("docker.raw");
        for (int i = 0; i < n; i++) {
            String what = "convert trial " + i + " (seed " + SEED + ")";
            Files.deleteIfExists(image);
            killAfter(command(privateTmp, "convert", "torcx-image", archive.toString(), "-o", image.toString()),
                    delay(duration), what);
            if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(Files.readAllBytes(image)).as("%s: the converted image is whole", what).isEqualTo(newRef);
            }
            Files.deleteIfExists(image);
            Shell.Result next = run(command(privateTmp, "convert", "torcx-image", archive.toString(), "-o",
                    image.toString()));
            assertThat(next.exitCode()).as("%s: the next conversion succeeds: %s", what, next).isZero();
            assertThat(Files.readAllBytes(image)).as(what).isEqualTo(newRef);
            assertThat(names(out)).as(what).containsExactly("docker.raw");
            assertThat(names(privateTmp)).as("%s: the next run removed the killed run's staging directory", what)
                    .noneMatch(f -> f.startsWith("sysextctl-"));
            trials++;
        }
    }

    // --- enable, mask ------------------------------------------------------------------------------------

    private void linkTrials(Path privateTmp, int enables, int masks) throws Exception {
        Path root = scratchRoot("links");
        Path ext = root.resolve("etc/extensions");
        Path v1 = root.resolve("var/lib/extensions/a-1.raw");
        Path v2 = root.resolve("var/lib/extensions/a-2.raw");
        image("a", "1", v1);
        image("a", "2", v2);
        Path link = ext.resolve("a.raw");
        long started = System.nanoTime();
        Shell.Result first = run(command(privateTmp, "enable", v1.toString(), "--root", root.toString()));
        long duration = System.nanoTime() - started;
        assertThat(first.exitCode()).as("%s", first).isZero();
        String oldTarget = Files.readSymbolicLink(link).toString();
        Shell.Result second = run(command(privateTmp, "enable", v2.toString(), "--root", root.toString()));
        assertThat(second.exitCode()).as("%s", second).isZero();
        String newTarget = Files.readSymbolicLink(link).toString();
        assertThat(newTarget).isNotEqualTo(oldTarget);
        for (int i = 0; i < enables; i++) {
            String what = "enable trial " + i + " (seed " + SEED + ")";
            Path from = i % 2 == 0 ? v1 : v2;
            Path to = i % 2 == 0 ? v2 : v1;
            assertThat(run(command(privateTmp, "enable", from.toString(), "--root", root.toString())).exitCode())
                    .isZero();
            String before = Files.readSymbolicLink(link).toString();
            killAfter(command(privateTmp, "enable", to.toString(), "--root", root.toString()), delay(duration),
                    what);
            assertThat(Files.isSymbolicLink(link)).as("%s: the link is never missing", what).isTrue();
            assertThat(Files.readSymbolicLink(link).toString()).as("%s: old or new", what)
                    .isIn(before, before.equals(oldTarget) ? newTarget : oldTarget);
            Shell.Result next = run(command(privateTmp, "enable", to.toString(), "--root", root.toString()));
            assertThat(next.exitCode()).as("%s: %s", what, next).isZero();
            assertThat(Files.readSymbolicLink(link).toString()).as(what)
                    .isEqualTo(before.equals(oldTarget) ? newTarget : oldTarget);
            assertThat(names(ext)).as("%s: no temporary link is left", what).containsExactly("a.raw");
            trials++;
        }
        assertThat(run(command(privateTmp, "disable", "a", "--root", root.toString())).exitCode()).isZero();
        Path mask = ext.resolve("b");
        for (int i = 0; i < masks; i++) {
            String what = "mask trial " + i + " (seed " + SEED + ")";
            boolean masking = i % 3 != 2;
            if (masking) {
                run(command(privateTmp, "unmask", "b", "--root", root.toString()));
            } else {
                run(command(privateTmp, "mask", "b", "--root", root.toString()));
            }
            killAfter(command(privateTmp, masking ? "mask" : "unmask", "b", "--root", root.toString()),
                    delay(duration), what);
            if (Files.exists(mask, LinkOption.NOFOLLOW_LINKS)) {
                assertThat(Files.isDirectory(mask, LinkOption.NOFOLLOW_LINKS) && names(mask).isEmpty())
                        .as("%s: a mask is whole (an empty directory)", what).isTrue();
            }
            Shell.Result next = run(command(privateTmp, masking ? "mask" : "unmask", "b", "--root",
                    root.toString()));
            assertThat(next.exitCode()).as("%s: %s", what, next).isZero();
            assertThat(names(ext)).as("%s: no temporary mask is left", what)
                    .isEqualTo(masking ? List.of("b") : List.of());
            trials++;
        }
    }

    // --- merge, refresh (in a private mount namespace) ---------------------------------------------------

    private void mountTrials(Path privateTmp, int merges, int refreshes) throws Exception {
        Path root = scratchRoot("mounts");
        image("a", "1", root.resolve("var/lib/extensions/a.raw"));
        image("b", "1", root.resolve("var/lib/extensions/b.raw"));
        String j = String.join(" ", java(privateTmp)); // no spaces in these paths and options
        StringBuilder s = new StringBuilder();
        s.append("set -f\n")
                .append("R='").append(root).append("'\n")
                .append("J='").append(j).append("'\n")
                .append("ov() { awk -v mp=\"$R/usr\" '$5 == mp && / - overlay /' /proc/self/mountinfo | wc -l; }\n")
                .append("left() { ps -e -o sid=,stat= | awk -v s=\"$1\" '$1 == s && $2 !~ /^Z/' | wc -l; }\n")
                // the first merge measures how long a run takes; the kill delays are drawn as fractions of it
                .append("t0=$(date +%s%N); $J merge --root \"$R\" --engine native >/dev/null 2>&1 || echo FIRST\n")
                .append("t1=$(date +%s%N); DUR=$(( (t1 - t0) / 1000000 )); echo \"DURATION $DUR\"\n");
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < merges + refreshes; i++) {
            actions.add(i < merges ? "merge" : "refresh");
        }
        java.util.Collections.shuffle(actions, random);
        for (int i = 0; i < actions.size(); i++) {
            String a = actions.get(i);
            double f = 0.15 + random.nextDouble();
            s.append("D=$(awk -v d=\"$DUR\" 'BEGIN { printf \"%.3f\", d * ").append(String.format(Locale.ROOT,
                    "%.3f", f)).append(" / 1000 }')\n");
            s.append(a.equals("merge") ? "$J unmerge --root \"$R\" --engine native >/dev/null 2>&1\n"
                    : "[ \"$(ov)\" = 1 ] || $J refresh --root \"$R\" --engine native >/dev/null 2>&1\n");
            s.append("$J ").append(a).append(" --root \"$R\" --engine native >/dev/null 2>&1 &\np=$!\n")
                    .append("sleep \"$D\"; kill -9 $p 2>/dev/null; wait $p; k=$?\n")
                    .append("n=0; while [ \"$(left $p)\" != 0 ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n+1)); done\n")
                    .append("o=$(ov); st=-; [ \"$o\" = 1 ] || st=$($J status --root \"$R\" 2>&1 | tr '\\n' '|')\n")
                    .append("$J refresh --root \"$R\" --engine native >/dev/null 2>&1; nx=$?\n")
                    .append("echo \"TRIAL ").append(i).append(' ').append(a).append(" D=$D kill=$k left=$(left $p) "
                            + "ov=$o next=$nx ov2=$(ov) files=$(cat \"$R/usr/share/a/v\" \"$R/usr/share/b/v\" 2>&1 "
                            + "| tr -d '\\n') status=$st\"\n");
        }
        s.append("$J unmerge --root \"$R\" --engine native >/dev/null 2>&1; echo \"END unmerge=$? ov=$(ov) "
                + "sysext=$(grep -c ' - overlay sysext \\| /run/systemd/sysext' /proc/self/mountinfo) "
                + "loops=$(losetup -l -n -O BACK-FILE | grep -c \"$R\")\"\n");
        String script = s.toString();
        Shell.Result r = MountNamespace.run(script);
        String out = r.stdout();
        assertThat(out).as("%s", r).doesNotContain("FIRST").contains("END ");
        List<String> lines = out.lines().filter(l -> l.startsWith("TRIAL ")).toList();
        assertThat(lines).as("%s", r).hasSize(merges + refreshes);
        for (String l : lines) {
            String what = l + " (seed " + SEED + ")";
            assertThat(l).as("%s: no process of the killed run is left", what).contains(" left=0 ");
            assertThat(l).as("%s: at most one merge on /usr after the kill", what).containsPattern(" ov=[01] ");
            assertThat(l).as("%s: the next refresh succeeds, with one overlay and both extensions", what)
                    .contains(" next=0 ov2=1 files=11 ");
            if (l.contains(" refresh ") && l.contains(" ov=0 ")) {
                assertThat(l).as("%s: a refresh killed between unmount and mount shows in status", what)
                        .contains("did not finish");
            }
            trials++;
        }
        System.out.printf("SIGKILL trials on mounts (seed %d): %s; refreshes cut between unmount and mount: %d%n",
                SEED, out.lines().filter(x -> x.startsWith("DURATION ")).findFirst().orElse(""),
                lines.stream().filter(x -> x.contains(" refresh ") && x.contains(" ov=0 ")).count());
        String end = out.lines().filter(x -> x.startsWith("END ")).findFirst().orElseThrow();
        assertThat(end).as("no stale mount or loop device after the last unmerge: %s", r)
                .isEqualTo("END unmerge=0 ov=0 sysext=0 loops=0");
    }

    // --- helpers -----------------------------------------------------------------------------------------

    private Path scratchRoot(String name) throws IOException {
        Path root = tmp.resolve("root-" + name);
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createDirectories(root.resolve("usr/share"));
        Files.createDirectories(root.resolve("var/lib/extensions"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        return root;
    }

    /** A squashfs image named {@code name} with {@code usr/share/NAME/v} holding {@code version}. */
    private void image(String name, String version, Path out) throws IOException {
        Path t = tmp.resolve("img-" + name + "-" + version);
        Files.createDirectories(t.resolve("usr/lib/extension-release.d"));
        Files.writeString(t.resolve("usr/lib/extension-release.d/extension-release." + name),
                "ID=debian\nVERSION_ID=12\nSYSEXT_VERSION_ID=" + version + "\n");
        Files.createDirectories(t.resolve("usr/share/" + name));
        Files.writeString(t.resolve("usr/share/" + name + "/v"), version);
        Files.createDirectories(out.getParent());
        Shell.run("mksquashfs", t.toString(), out.toString(), "-noappend", "-all-root", "-quiet", "-no-progress")
                .assertSuccess();
    }

    private static List<String> command(Path privateTmp, String... args) {
        List<String> argv = new ArrayList<>(java(privateTmp));
        argv.addAll(List.of(args));
        return argv;
    }

    private static Shell.Result run(List<String> argv) {
        return Shell.run(argv, java.util.Map.of(), null, 300);
    }

    /** A delay between 15 % and 115 % of a full run's duration. */
    private long delay(long durationNanos) {
        return (long) (TimeUnit.NANOSECONDS.toMillis(durationNanos) * (0.15 + random.nextDouble()));
    }

    private record Killed(long delayMs, int exit) {
    }

    /** Starts {@code argv} (a session of its own), SIGKILLs it after {@code delayMs}, checks no process is left. */
    private static Killed killAfter(List<String> argv, long delayMs, String what) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long sid = p.pid(); // setsid execs in place: the JVM leads its own session
        if (!p.waitFor(delayMs, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly(); // SIGKILL
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> left = sessionMembers(sid);
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = sessionMembers(sid);
        }
        assertThat(left).as("%s: no process of the killed run is left (killed at %d ms)", what, delayMs).isEmpty();
        return new Killed(delayMs, p.exitValue());
    }

    /** Live (not zombie) processes of session {@code sid}, as "pid cmdline". */
    private static List<String> sessionMembers(long sid) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!f[0].equals("Z") && Long.parseLong(f[3]) == sid) {
                        out.add(p.getFileName() + " " + Files.readString(p.resolve("cmdline")).replace('\0', ' '));
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked
                }
            }
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
