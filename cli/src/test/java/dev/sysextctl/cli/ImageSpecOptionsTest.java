package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

/**
 * {@code build}, {@code convert torcx-image} and {@code convert torcx-profile} turn the build options they share
 * into the same {@link ImageSpec}: the CLI builds no converter type for them (issue 13).
 */
class ImageSpecOptionsTest {
    private static final List<String> OPTIONS = List.of("--os", "flatcar", "--os-version", "3975.2.0",
            "--sysext-level", "1.0", "--target-os-release", "/etc/os-release", "--arch", "arm64", "--scope",
            "system", "--set", "SYSEXT_ID=x", "--set", "A=b", "--format", "erofs", "--compression", "lz4",
            "--source-date-epoch", "7", "--keep-ownership", "--strict", "--force");

    /** The command object picocli parsed {@code args} into. */
    private static Object command(List<String> words) {
        List<String> all = new ArrayList<>(words);
        all.addAll(OPTIONS);
        String[] args = all.toArray(String[]::new);
        ParseResult r = SysextctlCommand.newCommandLine(args).parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.commandSpec().userObject();
    }

    @Test
    void theThreeCommandsFillOneSpecificationFromTheSameOptions() throws Exception {
        ImageSpec expected = ImageSpec.builder().os("flatcar").osVersion("3975.2.0").sysextLevel("1.0")
                .targetOsRelease(Path.of("/etc/os-release")).architecture("arm64").scope("system")
                .set(List.of("SYSEXT_ID=x", "A=b")).format(BuildFormat.EROFS).compression(Compression.LZ4)
                .sourceDateEpoch(7).keepOwnership(true).strict(true).force(true).build();
        BuildCommand build = (BuildCommand) command(List.of("build", "src", "--name", "x"));
        ConvertTorcxImageCommand image = (ConvertTorcxImageCommand) command(List.of("convert", "torcx-image",
                "a.torcx.tgz"));
        ConvertTorcxProfileCommand profile = (ConvertTorcxProfileCommand) command(List.of("convert",
                "torcx-profile"));
        assertThat(build.build.spec().build()).isEqualTo(expected);
        assertThat(image.build.spec().build()).isEqualTo(expected);
        assertThat(profile.build.spec().build()).isEqualTo(expected);
    }

    @Test
    void withoutOptionsTheSpecificationIsTheDefault() throws Exception {
        String[] args = {"convert", "torcx-profile"};
        ParseResult r = SysextctlCommand.newCommandLine(args).parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        ConvertTorcxProfileCommand profile = (ConvertTorcxProfileCommand) r.commandSpec().userObject();
        ImageSpec spec = profile.build.spec().build();
        assertThat(spec.sourceDateEpoch() == 0 || System.getenv("SOURCE_DATE_EPOCH") != null).isTrue();
        assertThat(spec.toBuilder().sourceDateEpoch(0).build()).isEqualTo(ImageSpec.defaults());
    }
}
