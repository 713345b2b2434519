package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probe answers remembered across runs, per binary. */
class ProbeMemoryTest {
    @TempDir
    Path tmp;

    private Path binary(String name, String content) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path p = Files.writeString(bin.resolve(name), content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** A new run (a new cache) asking what the tool answers, counting the probes that ran. */
    private static String ask(ProbeMemory memory, String query, List<String> probes, String answer) throws Exception {
        return new ToolVersionCache(memory).get("tool " + query, "tool", query, () -> {
            probes.add(query);
            return answer;
        });
    }

    @Test
    void aLaterRunOfTheSameBinaryIsNotProbedAgainAndAnUpdatedOneIs() throws Exception {
        Path tool = binary("tool", "#!/bin/sh\necho 1.0\n");
        Path cache = tmp.resolve("cache");
        List<String> probes = new ArrayList<>();
        ProbeMemory memory = ProbeMemory.in(cache, tool.getParent().toString());
        assertThat(ask(memory, "-version", probes, "1.0")).isEqualTo("1.0");
        assertThat(ask(memory, "-help", probes, "-tar -pf")).isEqualTo("-tar -pf");
        assertThat(probes).containsExactly("-version", "-help");
        assertThat(Files.readString(cache.resolve(ProbeMemory.FILE))).contains(tool.toRealPath() + "\t");

        // later runs (new memories over the same file): nothing probed
        ProbeMemory later = ProbeMemory.in(cache, tool.getParent().toString());
        assertThat(ask(later, "-version", probes, "other")).isEqualTo("1.0");
        assertThat(ask(later, "-help", probes, "other")).isEqualTo("-tar -pf");
        assertThat(probes).containsExactly("-version", "-help");

        // the binary replaced by another version (other content, time): probed again, the old answers go
        Files.writeString(tool, "#!/bin/sh\necho 2.0 and more\n");
        Files.setLastModifiedTime(tool, FileTime.fromMillis(1_000_000_000L));
        ProbeMemory updated = ProbeMemory.in(cache, tool.getParent().toString());
        assertThat(ask(updated, "-version", probes, "2.0")).isEqualTo("2.0");
        assertThat(probes).containsExactly("-version", "-help", "-version");
        assertThat(Files.readString(cache.resolve(ProbeMemory.FILE))).doesNotContain("\t1.0\n")
                .contains("\t-version\t2.0\n");
    }

    @Test
    void withoutAUsableCacheDirectoryEveryRunProbesAndNothingFails() throws Exception {
        Path tool = binary("tool", "#!/bin/sh\n");
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        List<String> probes = new ArrayList<>();
        for (ProbeMemory m : List.of(ProbeMemory.NONE, ProbeMemory.in(notADirectory, tool.getParent().toString()),
                ProbeMemory.in(tmp.resolve("c"), tmp.resolve("empty").toString()))) {
            assertThat(ask(m, "-version", probes, "1.0")).isEqualTo("1.0");
            assertThat(ask(m, "-version", probes, "1.0")).isEqualTo("1.0");
        }
        assertThat(probes).hasSize(6);
        assertThat(tmp.resolve("c")).doesNotExist(); // the tool is not on the search path: nothing to key it by
    }

    @Test
    void anAnswerOfSeveralLinesIsNotKept() throws Exception {
        Path tool = binary("tool", "#!/bin/sh\n");
        List<String> probes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            assertThat(ask(ProbeMemory.in(tmp.resolve("c"), tool.getParent().toString()), "-help", probes, "a\nb"))
                    .isEqualTo("a\nb");
        }
        assertThat(probes).hasSize(2);
    }

    @Test
    void theCacheDirectoryIsTheLaunchersChoice() {
        assertThat(ProbeMemory.cacheDirectory("/x/c", "/xdg", "/home/u")).contains(Path.of("/x/c"));
        if (!java.nio.file.Files.isWritable(Path.of("/var/cache"))) {
            assertThat(ProbeMemory.cacheDirectory("", "/xdg", "/home/u")).contains(Path.of("/xdg/sysextctl"));
            assertThat(ProbeMemory.cacheDirectory(null, null, "/home/u")).contains(Path.of("/home/u/.cache/sysextctl"));
            assertThat(ProbeMemory.cacheDirectory(null, "relative", null)).isEmpty();
        } else {
            assertThat(ProbeMemory.cacheDirectory("", "/xdg", "/home/u")).contains(Path.of("/var/cache/sysextctl"));
        }
    }
}
