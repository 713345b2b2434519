package dev.sysextctl.converter.build;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.BuildRequest;
import dev.sysextctl.builder.ImageBuilder;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.migration.ImageWriter;
import dev.sysextctl.converter.migration.WrittenImage;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.progress.ProgressListener;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;

/**
 * Writes converted torcx images with the builder ({@link ImageBuilder}): lint, extension-release, atomic write.
 * The image specification is {@code build}'s ({@link ImageSpec}, docs/cli.md §2.2); the converter only changes its
 * defaults ({@link #specFor}).
 */
public final class BuilderImageWriter implements ImageWriter {
    private final NativeTools tools;
    private final ImageSpec spec;
    private final ProgressListener progress;

    public BuilderImageWriter(NativeTools tools, ImageSpec spec) {
        this(tools, spec, ProgressListener.NONE);
    }

    private BuilderImageWriter(NativeTools tools, ImageSpec spec, ProgressListener progress) {
        this.tools = tools;
        this.spec = spec;
        this.progress = progress;
    }

    /** This writer telling {@code listener} how far each image's build has come ({@link ImageBuilder#withProgress}). */
    public BuilderImageWriter withProgress(ProgressListener listener) {
        return new BuilderImageWriter(tools, spec, listener);
    }

    public ImageSpec spec() {
        return spec;
    }

    /**
     * The specification of {@code source}'s image: the extension-release starts from what the converter suggests
     * ({@code ID=_any}, the binaries' {@code ARCHITECTURE}, the torcx reference as {@code SYSEXT_VERSION_ID}
     * unless {@code --version} says otherwise, {@code EXTENSION_RELOAD_MANAGER=1}); the other flags override it.
     */
    public ImageSpec specFor(TorcxArchiveSource source) {
        return spec.toBuilder().architecture(source.architecture()).reloadManager(true)
                .version(versionFor(source)).build();
    }

    /** Builds {@code source} into {@code output} and returns the builder's report. */
    public BuildReport build(TorcxArchiveSource source, Path output) throws SysextctlException {
        ImageSpec s = specFor(source);
        return new ImageBuilder(tools).withProgress(progress).build(BuildRequest.builder(source.name())
                .source(source)
                .spec(s)
                .extensionRelease(s.toReleaseFile())
                .output(output)
                .build());
    }

    @Override
    public WrittenImage write(TorcxArchiveSource source, Path output) throws SysextctlException {
        BuildReport r = build(source, output);
        return new WrittenImage(Path.of(r.output()), r.sizeBytes(), r.sha256(), r.lint());
    }

    /** The default image file name: {@code NAME-VERSION-ARCH.raw} (the sysext-bakery naming). */
    @Override
    public String fileName(TorcxArchiveSource source) {
        return source.name() + "-" + versionFor(source) + "-" + source.architecture()
                + (spec.format() == BuildFormat.DIRECTORY ? "" : ".raw");
    }

    /** The extension version of {@code source}'s image: {@code --version}, else the torcx reference. */
    private String versionFor(TorcxArchiveSource source) {
        return spec.version() != null ? spec.version() : source.reference();
    }
}
