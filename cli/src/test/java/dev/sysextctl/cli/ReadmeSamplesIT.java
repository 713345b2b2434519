package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's samples marked {@code <!-- readme-sample -->} are run, in order, in a directory holding a copy of
 * {@code examples/} (the README's {@code /tmp/demo}), with the packaged jar as {@code sysextctl}, stdout and stderr
 * together as a terminal shows them, and compared line by line. Only what must vary is normalised: the directory's
 * path, the scratch root's ({@code /mnt/node}), and the machine in a {@code target: ... from this machine} line. A
 * line {@code ...} in a sample stands for any number of lines. The scratch root of the node samples is laid out as
 * the README describes it.
 */
@Requires(tools = {"mksquashfs", "unsquashfs", "mkfs.erofs"})
class ReadmeSamplesIT {
    static final String MARKER = "<!-- readme-sample -->";
    static final String DEMO = "/tmp/demo";
    static final String NODE = "/mnt/node";

    @TempDir
    Path tmp;

    /** One {@code $ command} of a sample and the lines it prints. */
    record Step(int line, String command, List<String> expected) {
    }

    /** The steps of every marked sample, in the README's order. */
    static List<Step> steps(List<String> readme) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).strip().equals(MARKER)) {
                continue;
            }
            if (i + 1 >= readme.size() || !readme.get(i + 1).startsWith("```")) {
                throw new AssertionError("README line " + (i + 1) + ": the marker must stand right before a ``` block");
            }
            int j = i + 2;
            Step current = null;
            while (j < readme.size() && !readme.get(j).startsWith("```")) {
                String l = readme.get(j);
                if (l.startsWith("$ ")) {
                    current = new Step(j + 1, l.substring(2), new ArrayList<>());
                    steps.add(current);
                } else if (current != null) {
                    current.expected().add(l.stripTrailing());
                } else {
                    throw new AssertionError("README line " + (j + 1) + ": a sample starts with '$ command'");
                }
                j++;
            }
            i = j;
        }
        for (Step s : steps) {
            while (!s.expected().isEmpty() && s.expected().get(s.expected().size() - 1).isEmpty()) {
                s.expected().remove(s.expected().size() - 1);
            }
        }
        return steps;
    }

    @Test
    void theMarkedSamplesCoverTheCommandsThatRunWithoutANode() throws Exception {
        List<String> commands = steps(readme()).stream().map(Step::command).toList();
        assertThat(commands).anyMatch(c -> c.startsWith("sysextctl build "))
                .anyMatch(c -> c.startsWith("sysextctl inspect "))
                .anyMatch(c -> c.startsWith("sysextctl validate "))
                .anyMatch(c -> c.startsWith("sysextctl convert torcx-image "))
                .anyMatch(c -> c.startsWith("sysextctl list "))
                .anyMatch(c -> c.startsWith("sysextctl status "));
    }

    @Test
    void everyMarkedSamplePrintsWhatTheReadmeShows() throws Exception {
        Path work = tmp.resolve("demo");
        Files.createDirectories(work);
        Shell.shOk("cp -a '" + TestEnvironment.repository().resolve("examples") + "' '" + work + "/'");
        List<String> mismatches = new ArrayList<>();
        boolean nodeReady = false;
        for (Step step : steps(readme())) {
            if (step.command().contains(NODE) && !nodeReady) {
                scratchRoot(work);
                nodeReady = true;
            }
            List<String> actual = run(work, step.command());
            if (!matches(normalised(step.expected()), 0, normalised(actual), 0)) {
                mismatches.add("README line " + step.line() + ": $ " + step.command() + "\n--- README\n"
                        + String.join("\n", step.expected()) + "\n--- actual\n" + String.join("\n", actual));
            }
        }
        assertThat(mismatches).as("samples whose output differs from the README").isEmpty();
    }

    @Test
    void anEllipsisStandsForAnyLines() {
        assertThat(matches(List.of("a", "  ...", "d"), 0, List.of("a", "b", "c", "d"), 0)).isTrue();
        assertThat(matches(List.of("a", "...", "d"), 0, List.of("a", "d"), 0)).isTrue();
        assertThat(matches(List.of("a", "d"), 0, List.of("a", "b", "d"), 0)).isFalse();
        assertThat(matches(List.of("a", "...", "d"), 0, List.of("a", "b", "e"), 0)).isFalse();
    }

    private static List<String> readme() throws Exception {
        return Files.readAllLines(TestEnvironment.repository().resolve("README.md"));
    }

    /** Runs {@code command} in {@code work} as a shell would, sysextctl being the packaged jar. */
    private static List<String> run(Path work, String command) {
        String script = "unset SOURCE_DATE_EPOCH COLUMNS NO_COLOR; sysextctl() { java -jar '" + Jar.path()
                + "' \"$@\"; }; " + command.replace(NODE, work + NODE) + " 2>&1";
        Shell.Result r = Shell.run(List.of("bash", "-c", script), Map.of(), work, 300);
        List<String> lines = new ArrayList<>();
        for (String l : (r.stdout() + r.stderr()).split("\n", -1)) {
            lines.add(l.replace(work + NODE, NODE).replace(work.toString(), DEMO).stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static List<String> normalised(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("^target: .* from this machine, ", "target: (this machine) "))
                .toList();
    }

    /** Whether {@code actual} from line {@code a} is {@code expected} from line {@code e}, "..." any lines. */
    static boolean matches(List<String> expected, int e, List<String> actual, int a) {
        if (e == expected.size()) {
            return a == actual.size();
        }
        if (expected.get(e).strip().equals("...")) {
            for (int skip = a; skip <= actual.size(); skip++) {
                if (matches(expected, e + 1, actual, skip)) {
                    return true;
                }
            }
            return false;
        }
        return a < actual.size() && expected.get(e).equals(actual.get(a)) && matches(expected, e + 1, actual, a + 1);
    }

    /**
     * The README's scratch root: os-release ID=debian VERSION_ID=12, the bakery-named hello image (built by the
     * first sample) under /opt/extensions/hello, a debian 12 'tools' and a Fedora 40 'fedtools' image in
     * /var/lib/extensions, and a junk file there.
     */
    private static void scratchRoot(Path work) throws Exception {
        Path root = Path.of(work + NODE);
        Path ext = root.resolve("var/lib/extensions");
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createDirectories(root.resolve("opt/extensions/hello"));
        Files.createDirectories(ext);
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\nVERSION_ID=12\n");
        Files.copy(work.resolve("hello-1.0-x86-64.raw"), root.resolve("opt/extensions/hello/hello-1.0-x86-64.raw"));
        Path tools = work.resolve("tools-tree");
        Files.createDirectories(tools.resolve("usr/bin"));
        Files.writeString(tools.resolve("usr/bin/tools"), "#!/bin/sh\necho tools\n");
        for (String[] image : new String[][] {{"tools", "debian", "12"}, {"fedtools", "fedora", "40"}}) {
            Shell.Result r = Jar.run(List.of(), work, "build", tools.toString(), "--name", image[0], "--os", image[1],
                    "--os-version", image[2], "-o", ext.resolve(image[0] + ".raw").toString(), "-q");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
        }
        Files.writeString(ext.resolve("junk.raw"), "not an image\n");
    }
}
