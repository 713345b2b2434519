package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.cli.HostileCase.CaseDirs;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile-input corpus: every case is generated here ({@link HostileCorpus}), run through the packaged jar
 * in its own JVM with a small heap, and must end the way the contract says: the expected exit code (never 0 for a
 * refused input), one {@code sysextctl:} line on stderr naming the problem (lint findings above it, one per line),
 * no stack trace, no Java class name, no "internal error", nothing written outside the output directory (the
 * inputs and a canary directory that hostile names and links point at keep their listing and mtimes), nothing
 * partial in the output directory and nothing left in the temporary directory.
 */
@Requires(root = true, tools = {"mksquashfs", "unsquashfs", "mkfs.erofs", "fsck.erofs", "tar", "gzip", "xz", "zstd",
    "bzip2"})
class HostileInputCorpusIT {
    /** Heap of the sysextctl JVM: hostile input must not need more (an OutOfMemoryError fails the case). */
    static final String HEAP = "-Xmx256m";
    /** Per run; a case that needs longer has no bound on its time. */
    static final long TIMEOUT_SECONDS = 180;
    private static final Pattern FINDING = Pattern.compile("^(error|warning)\\[[a-z0-9-]+\\][: ].*");
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(java|javax|jdk|sun|com|org|dev|picocli)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]+|\\b[A-Z][A-Za-z]*(Exception|Error)\\b");

    @TempDir
    static Path work;

    /** Every case, or with {@code -Dsysextctl.hostile.only=TEXT} only those whose name contains TEXT. */
    static Stream<HostileCase> corpus() {
        String only = System.getProperty("sysextctl.hostile.only", "");
        return HostileCorpus.cases().stream().filter(c -> c.name().contains(only));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Execution(ExecutionMode.CONCURRENT)
    void endsAsTheContractSays(HostileCase c) throws Exception {
        CaseDirs d = CaseDirs.create(work.resolve(c.name()));
        c.generator().generate(d);
        Map<String, String> inputsBefore = snapshot(d.in());
        Map<String, String> canaryBefore = snapshot(d.canary());
        Map<String, String> outBefore = snapshot(d.out());

        // The launcher's JVM options (and its class-data archive when the build made one), with a small heap.
        List<String> argv = new ArrayList<>(List.of("java", HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:-UsePerfData", "-Djava.io.tmpdir=" + d.tmp()));
        Path cds = Jar.path().resolveSibling("sysextctl.jsa");
        if (Files.isRegularFile(cds)) {
            argv.addAll(List.of("-XX:SharedArchiveFile=" + cds, "-Xshare:auto", "-Xlog:cds*=off"));
        }
        argv.addAll(List.of("-jar", Jar.path().toString()));
        argv.addAll(c.command().apply(d));
        Shell.Result r = Shell.run(argv, Map.of(), d.out(), TIMEOUT_SECONDS);
        String shown = c.name() + ": " + String.join(" ", c.command().apply(d)) + "\nexit " + r.exitCode()
                + "\n--- stdout\n" + r.stdout() + "--- stderr\n" + r.stderr();

        assertThat(c.exits()).as("expected exit of the contract (%s)", shown).contains(r.exitCode());
        assertThat(r.stderr()).as("no stack trace, class name or internal error: %s", shown)
                .doesNotContain("\tat ", "internal error", "Exception in thread")
                .doesNotContainPattern(JAVA_NAME);
        if (r.exitCode() != 0) {
            List<String> lines = r.stderr().isBlank() ? List.of() : List.of(r.stderr().strip().split("\n"));
            assertThat(lines).as("stderr ends with the one line naming the problem: %s", shown).isNotEmpty();
            assertThat(lines.get(lines.size() - 1)).as(shown).startsWith("sysextctl: ");
            assertThat(lines.subList(0, lines.size() - 1)).as("every other stderr line is a lint finding: %s", shown)
                    .allMatch(l -> FINDING.matcher(l).matches());
            if (c.message() != null) {
                assertThat(r.stderr()).as(shown).contains(c.message());
            }
            if (!c.reportOnFailure()) {
                // its entries, not its own mtime: a temporary made and removed again changes that
                assertThat(contents(d.out())).as("nothing written or left in the output directory: %s", shown)
                        .isEqualTo(withoutTop(outBefore));
            }
            assertThat(snapshot(d.out()).keySet()).as("no temporary left in the output directory: %s", shown)
                    .noneMatch(HostileInputCorpusIT::temporary);
        } else {
            if (c.message() != null) {
                assertThat(r.stdout() + r.stderr()).as(shown).contains(c.message());
            }
            assertThat(snapshot(d.out()).keySet()).as("no temporary left beside the outputs: %s", shown)
                    .noneMatch(HostileInputCorpusIT::temporary);
        }
        assertThat(snapshot(d.canary())).as("the canary directory is untouched: %s", shown).isEqualTo(canaryBefore);
        assertThat(snapshot(d.in())).as("the inputs are untouched: %s", shown).isEqualTo(inputsBefore);
        assertThat(leftovers(d.tmp())).as("nothing left in the temporary directory: %s", shown).isEmpty();
        c.after().check(d, r);
    }

    static boolean temporary(String path) {
        return path.contains("sysextctl-") || path.contains(".#") || path.endsWith(".stage") || path.endsWith(".tmp");
    }

    static Map<String, String> contents(Path dir) throws IOException {
        return withoutTop(snapshot(dir));
    }

    static Map<String, String> withoutTop(Map<String, String> snapshot) {
        Map<String, String> m = new TreeMap<>(snapshot);
        m.remove("");
        return m;
    }

    /** Listing of {@code dir}, links not followed: relative path -> type, size, mode, mtime, link target. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String kind = a.isSymbolicLink() ? "link " + Files.readSymbolicLink(p) : a.isDirectory() ? "dir"
                        : a.isRegularFile() ? "file " + a.size() : "other";
                Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                out.put(dir.relativize(p).toString(), kind + " mode " + Integer.toOctalString((Integer) mode)
                        + " mtime " + a.lastModifiedTime().toMillis());
            }
        }
        return out;
    }

    /** What a run left in its temporary directory (the JVM's own perf data is switched off). */
    static Set<String> leftovers(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
