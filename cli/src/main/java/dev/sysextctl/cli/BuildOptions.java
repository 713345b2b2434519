package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The build options (docs/cli.md §2.2, {@code build}) that {@code build}, {@code convert torcx-image} and
 * {@code convert torcx-profile} share, mixed into each: the extension-release fields and how the image is written.
 * {@code --version} is not here: {@code build} and {@code convert torcx-image} declare it (one image),
 * {@code convert torcx-profile} does not (the references are the versions); nor is {@code --reload-manager}
 * ({@code build} only: a converted image always says {@code EXTENSION_RELOAD_MANAGER=1}) or {@code -o}.
 */
public final class BuildOptions {
    @Option(names = "--os", paramLabel = "ID", description = "ID= (default: _any).")
    String os;

    @Option(names = "--os-version", paramLabel = "V", description = "VERSION_ID=.")
    String osVersion;

    @Option(names = {"--sysext-level", "--level"}, paramLabel = "L", description = "SYSEXT_LEVEL= (a confext: "
            + "CONFEXT_LEVEL=).")
    String sysextLevel;

    @Option(names = "--target-os-release", paramLabel = "FILE", description = "Take ID, VERSION_ID and SYSEXT_LEVEL "
            + "(a confext: CONFEXT_LEVEL) from the target's os-release (explicit flags win).")
    Path targetOsRelease;

    @Option(names = "--arch", paramLabel = "A", description = "ARCHITECTURE= (x86-64, arm64, ...; x86_64, amd64, "
            + "aarch64 are normalised; host = this machine; a torcx image defaults to what its binaries are for, "
            + "else this machine).")
    String arch;

    @Option(names = "--scope", paramLabel = "S", description = "SYSEXT_SCOPE= (a confext: CONFEXT_SCOPE=; system, "
            + "initrd, portable; space- or comma-separated).")
    String scope;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any further extension-release field "
            + "(repeatable; applied last).")
    List<String> set = new ArrayList<>();

    @Option(names = "--format", paramLabel = "F", converter = EnumValues.Formats.class,
            completionCandidates = EnumValues.Formats.class,
            description = "${COMPLETION-CANDIDATES} (default: squashfs; any case).")
    BuildFormat format = BuildFormat.SQUASHFS;

    @Option(names = "--compression", paramLabel = "C", converter = EnumValues.Compressions.class,
            completionCandidates = EnumValues.Compressions.class,
            description = "${COMPLETION-CANDIDATES} (default: zstd for squashfs, lz4hc for erofs, none for erofs in a DDI; any case).")
    Compression compression;

    @Option(names = "--source-date-epoch", paramLabel = "N", description = "Timestamp of every entry (default: "
            + "$SOURCE_DATE_EPOCH, else 0).")
    Long sourceDateEpoch;

    @Option(names = "--keep-ownership", description = "Keep uid/gid from the sources (default: everything root's).")
    boolean keepOwnership;

    @Option(names = "--strict", description = "Lint warnings become errors.")
    boolean strict;

    @Option(names = "--force", description = "Overwrite an existing output.")
    boolean force;

    /**
     * The image specification these options give; the command adds what it declares itself ({@code --version},
     * {@code --reload-manager}).
     */
    ImageSpec.Builder spec() throws UsageException {
        return ImageSpec.builder().os(os).osVersion(osVersion).sysextLevel(sysextLevel)
                .targetOsRelease(targetOsRelease).architecture(arch).scope(scope).set(set).format(format)
                .compression(compression).sourceDateEpoch(epoch()).keepOwnership(keepOwnership).strict(strict)
                .force(force);
    }

    /** {@code --source-date-epoch}, else {@code $SOURCE_DATE_EPOCH}, else 0. */
    long epoch() throws UsageException {
        if (sourceDateEpoch != null) {
            return sourceDateEpoch;
        }
        String env = System.getenv("SOURCE_DATE_EPOCH");
        if (env == null || env.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(env.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("SOURCE_DATE_EPOCH='" + env + "' is not a number of seconds; fix or unset it, "
                    + "or pass --source-date-epoch N");
        }
    }
}
