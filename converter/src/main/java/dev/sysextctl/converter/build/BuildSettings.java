package dev.sysextctl.converter.build;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.release.ExtensionReleaseSpec;
import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.List;

/**
 * The build options of {@code convert torcx-image} and {@code convert torcx-profile} (the same as
 * {@code build}'s, docs/cli.md §2.2). Every field may be null/false for its default. The extension-release of a converted
 * image starts from what the converter suggests ({@code ID=_any}, the binaries' {@code ARCHITECTURE}, the torcx
 * reference as {@code SYSEXT_VERSION_ID}, {@code EXTENSION_RELOAD_MANAGER=1}); the flags override it.
 */
public record BuildSettings(String os, String osVersion, String sysextLevel, Path targetOsRelease, String scope,
        String version, List<String> set, BuildFormat format, Compression compression, long sourceDateEpoch,
        boolean keepOwnership, boolean strict, boolean force) {
    public BuildSettings {
        set = set == null ? List.of() : List.copyOf(set);
        format = format == null ? BuildFormat.SQUASHFS : format;
    }

    public static BuildSettings defaults() {
        return new BuildSettings(null, null, null, null, null, null, List.of(), BuildFormat.SQUASHFS, null, 0, false,
                false, false);
    }

    public BuildSettings withForce(boolean f) {
        return new BuildSettings(os, osVersion, sysextLevel, targetOsRelease, scope, version, set, format,
                compression, sourceDateEpoch, keepOwnership, strict, f);
    }

    /** The extension version of {@code source}'s image: {@code --version}, else the torcx reference. */
    public String versionFor(TorcxArchiveSource source) {
        return version != null ? version : source.reference();
    }

    /** The extension-release of {@code source}'s image. */
    public ReleaseFile releaseFor(TorcxArchiveSource source) throws UsageException, OperationFailedException {
        return new ExtensionReleaseSpec(os, osVersion, sysextLevel, targetOsRelease, source.architecture(), scope,
                true, versionFor(source), set).toReleaseFile();
    }

    /** The default image file name: {@code NAME-VERSION-ARCH.raw} (the sysext-bakery naming). */
    public String fileNameFor(TorcxArchiveSource source) {
        return source.name() + "-" + versionFor(source) + "-" + source.architecture()
                + (format == BuildFormat.DIRECTORY ? "" : ".raw");
    }
}
