package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.converter.build.BuildSettings;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The build options of the {@code convert} commands (cli.md, {@code build}), mixed into both. {@code --version}
 * is not here: {@code convert torcx-image} declares it (one image), {@code convert torcx-profile} does not (the
 * references are the versions).
 */
public final class ConvertBuildOptions {
    @Option(names = "--os", paramLabel = "ID", description = "ID= (default: _any).")
    String os;

    @Option(names = "--os-version", paramLabel = "V", description = "VERSION_ID=.")
    String osVersion;

    @Option(names = "--sysext-level", paramLabel = "L", description = "SYSEXT_LEVEL=.")
    String sysextLevel;

    @Option(names = "--target-os-release", paramLabel = "FILE", description = "Take ID, VERSION_ID and SYSEXT_LEVEL "
            + "from the target's os-release (explicit flags win).")
    Path targetOsRelease;

    @Option(names = "--arch", paramLabel = "A", description = "ARCHITECTURE= (default: what the image's binaries are "
            + "for, else this machine; x86_64, amd64, aarch64 are normalised).")
    String arch;

    @Option(names = "--scope", paramLabel = "S", description = "SYSEXT_SCOPE= (system, initrd, portable).")
    String scope;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any further extension-release field "
            + "(repeatable; applied last).")
    List<String> set = new ArrayList<>();

    @Option(names = "--format", paramLabel = "F", description = "squashfs (default), erofs or directory.")
    String format = "squashfs";

    @Option(names = "--compression", paramLabel = "C", description = "zstd (default for squashfs), xz, gzip, lz4, "
            + "lz4hc (default for erofs), lzo, none.")
    String compression;

    @Option(names = "--source-date-epoch", paramLabel = "N", description = "Timestamp of every entry (default: "
            + "$SOURCE_DATE_EPOCH, else 0).")
    Long sourceDateEpoch;

    @Option(names = "--keep-ownership", description = "Keep uid/gid from the archive (default: everything root's).")
    boolean keepOwnership;

    @Option(names = "--strict", description = "Lint warnings become errors.")
    boolean strict;

    @Option(names = "--force", description = "Overwrite existing output.")
    boolean force;

    BuildSettings settings(String version) throws UsageException {
        return new BuildSettings(os, osVersion, sysextLevel, targetOsRelease, scope, version, set,
                BuildFormat.parse(format), compression == null ? null : Compression.parse(compression), epoch(),
                keepOwnership, strict, force);
    }

    private long epoch() throws UsageException {
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
