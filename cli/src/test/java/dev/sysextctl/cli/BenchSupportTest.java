package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.DefaultMksquashfs;
import dev.sysextctl.core.tools.SquashfsOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mksquashfs options scripts/bench uses for its reference command are those of a default build, without the
 * memory sysextctl chooses.
 */
class BenchSupportTest {
    @Test
    void mksquashfsOptionsAreTheDefaultBuildsWithoutTheTarInput() {
        List<String> build = new DefaultMksquashfs(null, null).tarArgv(Path.of("x.raw"), SquashfsOptions.defaults());
        assertThat(build.subList(0, 4)).containsExactly("mksquashfs", "-", "x.raw", "-tar");
        // the options that decide the image, not the memory sysextctl gives mksquashfs on this machine
        List<String> image = new java.util.ArrayList<>(build.subList(4, build.size()));
        image.removeAll(DefaultMksquashfs.memoryArgs());
        assertThat(BenchSupport.mksquashfsOptions()).containsExactlyElementsOf(image).doesNotContain("-mem");
        assertThat(String.join(" ", BenchSupport.mksquashfsOptions())).contains("-comp zstd", "-all-time 0",
                "-mkfs-time 0", "-all-root").doesNotContain("-tar", "image.raw");
    }
}
