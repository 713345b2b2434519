package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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
        assertThat(c.argv()).containsExactly("mksquashfs", "/tree", "/out/.#x.raw", "-noappend", "-no-progress",
                "-quiet", "-no-tailends", "-comp", "zstd", "-all-time", "42", "-mkfs-time", "42", "-root-time", "42",
                "-root-mode", "0755", "-all-root", "-no-exports", "-exit-on-error", "-pf", "/s/pseudo", "-ef",
                "/s/exclude");
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
}
