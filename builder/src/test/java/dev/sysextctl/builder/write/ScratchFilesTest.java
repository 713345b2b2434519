package dev.sysextctl.builder.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aTreeDeletedInTheBackgroundIsGoneWhenTheBuildEnds() throws Exception {
        Path target = tmp.resolve("out.raw");
        Path stage;
        try (ScratchFiles scratch = new ScratchFiles()) {
            stage = scratch.sibling(target);
            for (int i = 0; i < 200; i++) {
                Files.writeString(Files.createDirectories(stage.resolve("d" + i % 7)).resolve("f" + i), "x".repeat(i));
            }
            Files.createSymbolicLink(stage.resolve("link"), tmp);
            scratch.deleteInBackground(stage);
        }
        assertThat(Files.exists(stage, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(tmp)).as("the link's target stays").isTrue();
        try (var s = Files.list(tmp)) {
            assertThat(s).isEmpty();
        }
    }
}
