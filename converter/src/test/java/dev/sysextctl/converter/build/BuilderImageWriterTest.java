package dev.sysextctl.converter.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The converter fills {@code build}'s image specification and changes only its defaults (docs/cli.md §2.2). */
class BuilderImageWriterTest {
    @TempDir
    Path tmp;

    private TorcxArchiveSource f1() throws Exception {
        return TorcxArchiveSource.open(TorcxFixtures.f1(tmp), TorcxConversionOptions.defaults()
                .withWorkDir(tmp.resolve("work")), NativeTools.system().unsquashfs());
    }

    @Test
    void withoutFlagsTheImageSaysWhatTheArchiveSuggests() throws Exception {
        BuilderImageWriter w = new BuilderImageWriter(NativeTools.system(), ImageSpec.defaults());
        try (TorcxArchiveSource src = f1()) {
            ImageSpec s = w.specFor(src);
            assertThat(s).isEqualTo(ImageSpec.builder().architecture(src.architecture()).reloadManager(true)
                    .version(src.reference()).build());
            assertThat(s.toReleaseFile().render()).isEqualTo("ID=_any\nARCHITECTURE=" + src.architecture()
                    + "\nSYSEXT_VERSION_ID=" + src.reference() + "\nEXTENSION_RELOAD_MANAGER=1\n");
            assertThat(w.fileName(src)).isEqualTo(src.name() + "-" + src.reference() + "-" + src.architecture()
                    + ".raw");
        }
    }

    @Test
    void theUsersFlagsAreKeptAndTheirVersionWins() throws Exception {
        ImageSpec asked = ImageSpec.builder().os("flatcar").osVersion("3975.2.0").scope("system").version("9")
                .set(List.of("SYSEXT_ID=docker")).format(BuildFormat.DIRECTORY).compression(Compression.NONE)
                .sourceDateEpoch(7).keepOwnership(true).strict(true).force(true).build();
        BuilderImageWriter w = new BuilderImageWriter(NativeTools.system(), asked);
        try (TorcxArchiveSource src = f1()) {
            ImageSpec s = w.specFor(src);
            assertThat(s).isEqualTo(asked.toBuilder().architecture(src.architecture()).reloadManager(true).build());
            assertThat(s.toReleaseFile().render()).isEqualTo("ID=flatcar\nVERSION_ID=3975.2.0\nARCHITECTURE="
                    + src.architecture() + "\nSYSEXT_SCOPE=system\nSYSEXT_VERSION_ID=9\nEXTENSION_RELOAD_MANAGER=1\n"
                    + "SYSEXT_ID=docker\n");
            assertThat(w.fileName(src)).isEqualTo(src.name() + "-9-" + src.architecture());
        }
    }
}
