package dev.sysextctl.converter.build;

import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.BuildRequest;
import dev.sysextctl.builder.ImageBuilder;
import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.migration.ImageWriter;
import dev.sysextctl.converter.migration.WrittenImage;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.progress.ProgressListener;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;

/** Writes converted torcx images with the builder ({@link ImageBuilder}): lint, extension-release, atomic write. */
public final class BuilderImageWriter implements ImageWriter {
    private final NativeTools tools;
    private final BuildSettings settings;
    private final ProgressListener progress;

    public BuilderImageWriter(NativeTools tools, BuildSettings settings) {
        this(tools, settings, ProgressListener.NONE);
    }

    private BuilderImageWriter(NativeTools tools, BuildSettings settings, ProgressListener progress) {
        this.tools = tools;
        this.settings = settings;
        this.progress = progress;
    }

    /** This writer telling {@code listener} how far each image's build has come ({@link ImageBuilder#withProgress}). */
    public BuilderImageWriter withProgress(ProgressListener listener) {
        return new BuilderImageWriter(tools, settings, listener);
    }

    public BuildSettings settings() {
        return settings;
    }

    /** Builds {@code source} into {@code output} and returns the builder's report. */
    public BuildReport build(TorcxArchiveSource source, Path output) throws SysextctlException {
        return new ImageBuilder(tools).withProgress(progress).build(BuildRequest.builder(source.name())
                .source(source)
                .extensionRelease(settings.releaseFor(source))
                .format(settings.format())
                .compression(settings.compression())
                .output(output)
                .sourceDateEpoch(settings.sourceDateEpoch())
                .keepOwnership(settings.keepOwnership())
                .strict(settings.strict())
                .force(settings.force())
                .build());
    }

    @Override
    public WrittenImage write(TorcxArchiveSource source, Path output) throws SysextctlException {
        BuildReport r = build(source, output);
        return new WrittenImage(Path.of(r.output()), r.sizeBytes(), r.sha256(), r.lint());
    }

    @Override
    public String fileName(TorcxArchiveSource source) {
        return settings.fileNameFor(source);
    }
}
