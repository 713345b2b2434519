package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty sysextctl processes on one root at once (issue 11: concurrent use stays consistent): ten {@code enable}s of
 * different images and ten native {@code refresh}es, all started together in one private mount namespace, with the
 * jar as users run it. Every process succeeds (the node lock serialises them; each waits its turn), the links are
 * exactly the ten enabled images, no temporary is left beside them, and {@code /usr} carries exactly one overlay;
 * after a last refresh it holds all ten extensions, and an unmerge leaves no overlay and no loop device.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare", "losetup"})
class ConcurrentNodeIT {
    private static final int IMAGES = 10;

    @TempDir
    Path tmp;

    @Test
    void twentyProcessesOnOneRootLeaveOneConsistentMerge() throws Exception {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createDirectories(root.resolve("usr/share"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Path store = Files.createDirectories(root.resolve("srv/store"));
        for (int i = 0; i < IMAGES; i++) {
            image("x" + i, store.resolve("x" + i + ".raw"));
        }
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        String j = String.join(" ", java(javaTmp));
        StringBuilder s = new StringBuilder()
                .append("set -f\n")
                .append("export SYSEXTCTL_LOCK_WAIT=600\n")
                .append("R='").append(root).append("'\n")
                .append("J='").append(j).append("'\n")
                .append("ov() { awk -v mp=\"$R/usr\" '$5 == mp && / - overlay /' /proc/self/mountinfo | wc -l; }\n")
                .append("pids=''\n");
        for (int i = 0; i < IMAGES; i++) {
            s.append("$J enable \"$R/srv/store/x").append(i).append(".raw\" --root \"$R\" --no-reload "
                    + ">\"$R/../out-e").append(i).append("\" 2>&1 &\npids=\"$pids $!\"\n");
            s.append("$J refresh --root \"$R\" --engine native --no-reload >\"$R/../out-r").append(i)
                    .append("\" 2>&1 &\npids=\"$pids $!\"\n");
        }
        s.append("fail=0; for p in $pids; do wait $p || fail=$((fail+1)); done\n")
                .append("echo \"FAILED $fail\"\n")
                .append("echo \"OVERLAYS $(ov)\"\n")
                .append("$J refresh --root \"$R\" --engine native --no-reload >/dev/null 2>&1; echo \"LAST $?\"\n")
                .append("echo \"OVERLAYS_AFTER $(ov)\"\n")
                .append("echo \"FILES $(for i in $(seq 0 ").append(IMAGES - 1)
                .append("); do cat \"$R/usr/share/x$i/v\" 2>/dev/null; done)\"\n")
                .append("$J unmerge --root \"$R\" --engine native --no-reload >/dev/null 2>&1; "
                        + "echo \"END unmerge=$? ov=$(ov) loops=$(losetup -l -n -O BACK-FILE | grep -c \"$R\")\"\n");
        Shell.Result r = MountNamespace.run(s.toString());
        String out = r.stdout();
        String outputs = outputs();
        assertThat(out).as("%s%n%s", r, outputs).contains("FAILED 0");
        assertThat(line(out, "OVERLAYS ")).as("one overlay on /usr after the concurrent runs: %s", outputs)
                .isIn("0", "1");
        assertThat(line(out, "LAST ")).as("%s", r).isEqualTo("0");
        assertThat(line(out, "OVERLAYS_AFTER ")).as("%s", r).isEqualTo("1");
        assertThat(line(out, "FILES ")).as("every enabled extension is merged").isEqualTo("1".repeat(IMAGES));
        assertThat(line(out, "END ")).as("%s", r).isEqualTo("unmerge=0 ov=0 loops=0");
        try (Stream<Path> links = Files.list(root.resolve("etc/extensions"))) {
            List<String> names = links.map(p -> p.getFileName().toString()).sorted().toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                expected.add("x" + i + ".raw");
            }
            assertThat(names).as("exactly the enabled links, no temporaries").containsExactlyInAnyOrderElementsOf(
                    expected);
            for (String n : names) {
                Path target = Files.readSymbolicLink(root.resolve("etc/extensions").resolve(n));
                Path resolved = target.isAbsolute() ? root.resolve(target.toString().substring(1))
                        : root.resolve("etc/extensions").resolve(target).normalize();
                assertThat(resolved).as("%s -> %s", n, target).isEqualTo(store.resolve(n));
            }
        }
    }

    private String outputs() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("out-")).sorted().map(p -> {
                try {
                    return p.getFileName() + ": " + Files.readString(p).strip();
                } catch (IOException e) {
                    return p.getFileName() + ": " + e;
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + out));
    }

    /** The launcher's JVM options, with a private temporary directory. */
    private static List<String> java(Path tmpdir) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss1m", "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + tmpdir, "-jar", Jar.path().toString()));
    }

    /** A squashfs image named {@code name} with {@code usr/share/NAME/v} holding 1. */
    private void image(String name, Path out) throws IOException {
        Path t = tmp.resolve("img-" + name);
        Files.createDirectories(t.resolve("usr/lib/extension-release.d"));
        Files.writeString(t.resolve("usr/lib/extension-release.d/extension-release." + name),
                "ID=debian\nVERSION_ID=12\n");
        Files.createDirectories(t.resolve("usr/share/" + name));
        Files.writeString(t.resolve("usr/share/" + name + "/v"), "1");
        Shell.run("mksquashfs", t.toString(), out.toString(), "-noappend", "-all-root", "-quiet", "-no-progress")
                .assertSuccess();
    }
}
