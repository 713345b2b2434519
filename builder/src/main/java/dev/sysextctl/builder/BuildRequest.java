package dev.sysextctl.builder;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@link ImageBuilder#build} needs.
 *
 * @param sources layered in this order, a later source winning a path conflict
 * @param name the extension name; the image carries {@code usr/lib/extension-release.d/extension-release.NAME}
 * @param extensionRelease the fields of that file (see {@link dev.sysextctl.builder.release.ExtensionReleaseSpec})
 * @param format squashfs, erofs or directory
 * @param compression null for the format's default (zstd for squashfs, lz4hc for erofs)
 * @param output the image file (or directory) to write; null for the default name in the current directory
 *     ({@link OutputNames#defaultName})
 * @param sourceDateEpoch the timestamp of every entry and of the file system, in seconds
 * @param keepOwnership keep the sources' uid/gid; otherwise every entry is root's
 * @param strict lint warnings become errors
 * @param force overwrite an existing output
 * @param ddi how a DDI is written ({@code --format ddi}); the defaults when null
 */
public record BuildRequest(List<ImageSource> sources, String name, ReleaseFile extensionRelease, BuildFormat format,
        Compression compression, Path output, long sourceDateEpoch, boolean keepOwnership, boolean strict,
        boolean force, DdiSettings ddi) {
    public BuildRequest {
        sources = List.copyOf(sources);
        Objects.requireNonNull(name, "name");
        extensionRelease = extensionRelease == null ? ReleaseFile.EMPTY : extensionRelease;
        format = format == null ? BuildFormat.SQUASHFS : format;
        ddi = ddi == null ? DdiSettings.DEFAULTS : ddi;
    }

    public BuildRequest(List<ImageSource> sources, String name, ReleaseFile extensionRelease, BuildFormat format,
            Compression compression, Path output, long sourceDateEpoch, boolean keepOwnership, boolean strict,
            boolean force) {
        this(sources, name, extensionRelease, format, compression, output, sourceDateEpoch, keepOwnership, strict,
                force, null);
    }

    /** The format of the file system written: the format itself, or the one inside a DDI. */
    public BuildFormat fileSystemFormat() {
        return format == BuildFormat.DDI ? ddi.fileSystem() : format;
    }

    /** The compression the build uses: the requested one or the file system's default. */
    public Compression effectiveCompression() {
        return compression != null ? compression : fileSystemFormat().defaultCompression();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent construction for callers that set a few fields (the converter, tests). */
    public static final class Builder {
        private final List<ImageSource> sources = new ArrayList<>();
        private final String name;
        private ReleaseFile release = ReleaseFile.EMPTY;
        private BuildFormat format = BuildFormat.SQUASHFS;
        private Compression compression;
        private Path output;
        private long epoch;
        private boolean keepOwnership;
        private boolean strict;
        private boolean force;
        private DdiSettings ddi;

        private Builder(String name) {
            this.name = name;
        }

        public Builder source(ImageSource s) {
            sources.add(s);
            return this;
        }

        public Builder sources(List<? extends ImageSource> s) {
            sources.addAll(s);
            return this;
        }

        public Builder extensionRelease(ReleaseFile r) {
            this.release = r;
            return this;
        }

        public Builder format(BuildFormat f) {
            this.format = f;
            return this;
        }

        public Builder compression(Compression c) {
            this.compression = c;
            return this;
        }

        public Builder output(Path p) {
            this.output = p;
            return this;
        }

        public Builder sourceDateEpoch(long e) {
            this.epoch = e;
            return this;
        }

        public Builder keepOwnership(boolean b) {
            this.keepOwnership = b;
            return this;
        }

        public Builder strict(boolean b) {
            this.strict = b;
            return this;
        }

        public Builder force(boolean b) {
            this.force = b;
            return this;
        }

        public Builder ddi(DdiSettings d) {
            this.ddi = d;
            return this;
        }

        public BuildRequest build() {
            return new BuildRequest(sources, name, release, format, compression, output, epoch, keepOwnership, strict,
                    force, ddi);
        }
    }
}
