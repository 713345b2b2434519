package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mksquashfs reading a directory itself: the exact argv, and when the build may use it. */
class MksquashfsDirectoryTest {
    static final String HELP_451 = "-tar\t\t\tread uncompressed tar file from standard in (stdin)\n"
            + "-no-exports\t\tdon't make filesystem exportable via NFS (-tar default)\n"
            + "-no-tailends\t\tdon't pack tail ends into fragments (default)\n"
            + "-pf <pseudo-file>\tAdd list of pseudo file definitions.\n"
            + "-ef <exclude_file>\tlist of exclude dirs/files.  One per line\n"
            + "-exit-on-error\t\ttreat normally ignored errors as fatal\n";

    private static ErofsAndSpecialFileToolsTest.RecordingRunner runner(String version, String help) {
        return new ErofsAndSpecialFileToolsTest.RecordingRunner(c -> new ProcessResult(c.argv(), 0,
                c.argv().contains("-version") ? "mksquashfs version " + version + " (2022/03/17)\n"
                        : c.argv().contains("-help") ? help : "", ""));
    }

    @Test
    void aDirectoryBuildAsksForTheTarLayoutPseudoFilesAndExcludes() throws Exception {
        var r = runner("4.5.1", HELP_451);
        DefaultMksquashfs m = new DefaultMksquashfs(r, new ToolVersionCache());
        m.buildFromDirectory(new SquashfsDirectoryInput(Path.of("/tree"), Path.of("/s/pseudo"), Path.of("/s/exclude")),
                Path.of("/out/.#x.raw"), new SquashfsOptions(Compression.ZSTD, 42, true, 0, List.of()));
        Command c = r.commands.get(r.commands.size() - 1);
        List<String> expected = new java.util.ArrayList<>(List.of("mksquashfs", "/tree", "/out/.#x.raw", "-noappend",
                "-no-progress", "-quiet", "-no-tailends", "-comp", "zstd", "-all-time", "42", "-mkfs-time", "42",
                "-root-time", "42", "-root-mode", "0755", "-all-root"));
        expected.addAll(DefaultMksquashfs.memoryArgs());
        expected.addAll(List.of("-no-exports", "-exit-on-error", "-pf", "/s/pseudo", "-ef", "/s/exclude"));
        assertThat(c.argv()).containsExactlyElementsOf(expected);
        assertThat(c.environment()).containsEntry("SOURCE_DATE_EPOCH", null);
        assertThat(m.directoryArgv(new SquashfsDirectoryInput(Path.of("/tree"), null, null), Path.of("/o"),
                SquashfsOptions.defaults())).doesNotContain("-pf", "-ef");
    }

    @Test
    void onlyACheckedVersionWithEveryFlagReadsDirectoriesAsTar() throws Exception {
        assertThat(new DefaultMksquashfs(runner("4.5.1", HELP_451), new ToolVersionCache()).readsDirectoriesAsTar())
                .isTrue();
        assertThat(new DefaultMksquashfs(runner("4.6.1", HELP_451), new ToolVersionCache()).readsDirectoriesAsTar())
                .isFalse();
        assertThat(new DefaultMksquashfs(runner("4.5.1", HELP_451.replace("-exit-on-error", "-exit")),
                new ToolVersionCache()).readsDirectoriesAsTar()).isFalse();
        // a flag named inside another option's text does not count
        assertThat(DefaultMksquashfs.hasFlag("-no-exports\t\tdon't (-tar default)\n", "-tar")).isFalse();
        assertThat(DefaultMksquashfs.hasFlag(HELP_451, "-pf")).isTrue();
    }

    @Test
    void aLaterRunOfTheSameMksquashfsAsksItNothingBeforeTheBuild(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path bin = java.nio.file.Files.createDirectories(tmp.resolve("bin"));
        java.nio.file.Files.writeString(bin.resolve("mksquashfs"), "#!/bin/sh\n");
        bin.resolve("mksquashfs").toFile().setExecutable(true);
        ProbeMemory memory = ProbeMemory.in(tmp.resolve("cache"), bin.toString());
        var first = runner("4.5.1", HELP_451);
        DefaultMksquashfs m = new DefaultMksquashfs(first, new ToolVersionCache(memory));
        assertThat(m.readsDirectoriesAsTar()).isTrue();
        assertThat(m.version()).isEqualTo("4.5.1");
        assertThat(first.commands).extracting(Command::argv).containsExactly(List.of("mksquashfs", "-version"),
                List.of("mksquashfs", "-help"));

        var later = runner("4.5.1", HELP_451);
        DefaultMksquashfs again = new DefaultMksquashfs(later, new ToolVersionCache(memory));
        assertThat(again.readsDirectoriesAsTar()).isTrue();
        assertThat(again.version()).isEqualTo("4.5.1");
        again.buildFromTar(out -> { }, Path.of("/o"), SquashfsOptions.defaults());
        assertThat(later.commands).extracting(c -> c.argv().get(1)).containsExactly("-");

        // what a binary without a flag answered is remembered as such
        var lacking = runner("4.5.1", HELP_451.replace("-exit-on-error", "-exit"));
        ProbeMemory other = ProbeMemory.in(tmp.resolve("cache2"), bin.toString());
        assertThat(new DefaultMksquashfs(lacking, new ToolVersionCache(other)).readsDirectoriesAsTar()).isFalse();
        assertThat(new DefaultMksquashfs(runner("4.5.1", HELP_451), new ToolVersionCache(other))
                .readsDirectoriesAsTar()).isFalse();
    }

    @Test
    void aBuildStartedInTheBackgroundRunsTheDirectoryArgvAndIsStoppedOrAwaited() throws Exception {
        SquashfsDirectoryInput in = new SquashfsDirectoryInput(Path.of("/tree"), Path.of("/s/pseudo"), null);
        SquashfsOptions o = new SquashfsOptions(Compression.ZSTD, 42, true, 0, List.of());
        List<Command> started = new java.util.ArrayList<>();
        List<String> events = new java.util.ArrayList<>();
        ProcessRunner background = new ProcessRunner() {
            @Override
            public ProcessResult run(Command c) {
                throw new AssertionError("run " + c.argv());
            }

            @Override
            public RunningProcess start(Command c) {
                started.add(c);
                return new RunningProcess() {
                    public long pid() {
                        return 1;
                    }

                    public void write(String text) {
                    }

                    public String readLine(java.time.Duration t) {
                        return null;
                    }

                    public String stderr() {
                        return "";
                    }

                    public ProcessResult finish(java.time.Duration t) {
                        events.add("finish");
                        return new ProcessResult(List.of("mksquashfs"), 1, "", "FATAL ERROR: no space\n");
                    }

                    public void close() {
                        events.add("close");
                    }
                };
            }
        };
        DefaultMksquashfs m = new DefaultMksquashfs(background, new ToolVersionCache());
        Mksquashfs.Running running = m.startFromDirectory(in, Path.of("/o"), o);
        assertThat(started).hasSize(1);
        assertThat(started.get(0).argv()).isEqualTo(m.directoryArgv(in, Path.of("/o"), o));
        assertThat(started.get(0).environment()).containsEntry("SOURCE_DATE_EPOCH", null);
        assertThatThrownBy(running::await).isInstanceOf(CommandFailedException.class)
                .hasMessageContaining("no space").hasMessageStartingWith("mksquashfs failed (exit 1)");
        running.close();
        assertThat(events).containsExactly("finish", "close");

        // a runner that cannot start processes in the background: the same build, run when awaited
        var r = runner("4.5.1", HELP_451);
        Mksquashfs.Running later = new DefaultMksquashfs(r, new ToolVersionCache()).startFromDirectory(in,
                Path.of("/o"), o);
        assertThat(r.commands).isEmpty();
        later.await();
        assertThat(r.commands).hasSize(1);
        assertThat(r.commands.get(0).argv()).isEqualTo(m.directoryArgv(in, Path.of("/o"), o));
    }

    @Test
    void mksquashfsGetsThirtyTwoMibAProcessorAtLeast128OnlyWhereThatIsBelowItsDefaultQuarterOfMemory() {
        long gib = 1024 * 1024;
        assertThat(DefaultMksquashfs.memoryArgs(24 * gib, 2)).containsExactly("-mem", "128M");
        assertThat(DefaultMksquashfs.memoryArgs(24 * gib, 16)).containsExactly("-mem", "512M");
        assertThat(DefaultMksquashfs.memoryArgs(256 * gib, 64)).containsExactly("-mem", "2048M");
        // its default there (a quarter of 512 MiB) is not more than ours: nothing asked
        assertThat(DefaultMksquashfs.memoryArgs(512 * 1024, 2)).isEmpty();
        assertThat(DefaultMksquashfs.memoryArgs(4 * gib, 32)).isEmpty();
        assertThat(DefaultMksquashfs.memoryArgs(0, 2)).isEmpty();
    }

    @Test
    void anOptionOfTheCallersOwnReplacesTheChosenMemoryAndACapOnProcessorsSizesIt() {
        assertThat(DefaultMksquashfs.commonArgs(new SquashfsOptions(Compression.ZSTD, 0, true, 0,
                List.of("-mem", "64M")))).containsOnlyOnce("-mem").endsWith("-mem", "64M");
        long memTotal = DefaultMksquashfs.memTotalKib(Path.of("/proc/meminfo"));
        List<String> eight = DefaultMksquashfs.commonArgs(new SquashfsOptions(Compression.ZSTD, 0, true, 8, List.of()));
        List<String> expected = DefaultMksquashfs.memoryArgs(memTotal, 8);
        if (expected.isEmpty()) {
            assertThat(eight).doesNotContain("-mem");
        } else {
            assertThat(expected).containsExactly("-mem", "256M"); // 8 x 32 MiB on a machine of over 1 GiB
            assertThat(eight).containsSubsequence(expected);
        }
    }

    @Test
    void theMachinesMemoryIsMemTotalOfMeminfoAndZeroWhereItCannotBeRead(@TempDir Path tmp) throws Exception {
        Path meminfo = Files.writeString(tmp.resolve("meminfo"),
                "MemFree:         1000 kB\nMemTotal:       24573452 kB\n");
        assertThat(DefaultMksquashfs.memTotalKib(meminfo)).isEqualTo(24573452L);
        assertThat(DefaultMksquashfs.memTotalKib(tmp.resolve("missing"))).isZero();
        assertThat(DefaultMksquashfs.memTotalKib(Files.writeString(tmp.resolve("odd"), "MemTotal: x\n")))
                .isZero();
    }
}
