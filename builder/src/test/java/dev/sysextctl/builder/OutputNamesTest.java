package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.release.ReleaseFile;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutputNamesTest {
    @Test
    void bakeryNamingNeedsVersionAndArchitecture() {
        ReleaseFile both = new ReleaseFile(Map.of("SYSEXT_VERSION_ID", "1.0", "ARCHITECTURE", "x86-64"));
        assertThat(OutputNames.defaultName("hello", both, BuildFormat.SQUASHFS)).isEqualTo("hello-1.0-x86-64.raw");
        assertThat(OutputNames.defaultName("hello", both, BuildFormat.DIRECTORY)).isEqualTo("hello-1.0-x86-64");
        assertThat(OutputNames.defaultName("hello", new ReleaseFile(Map.of("SYSEXT_VERSION_ID", "1.0")),
                BuildFormat.EROFS)).isEqualTo("hello.raw");
        assertThat(OutputNames.defaultName("hello", ReleaseFile.EMPTY, BuildFormat.DIRECTORY)).isEqualTo("hello");
    }
}
