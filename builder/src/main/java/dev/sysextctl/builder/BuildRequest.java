package dev.sysextctl.builder;

import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.Compression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One call of {@link ImageBuilder#build}; its result is the {@link BuildReport}.
 *
 * @param name the extension name; the image carries {@code usr/lib/extension-release.d/extension-release.NAME}
 *     (a confext: {@code etc/extension-release.d/extension-release.NAME})
 * @param sources layered in this order, a later source winning a path conflict
 * @param spec how the image is written (format, compression, epoch, ownership, strictness, force); its
 *     extension-release fields are resolved by the caller into {@code extensionRelease}
 *     ({@link ImageSpec#toReleaseFile()})
 * @param extensionRelease the fields of the extension-release file
 * @param output the image file (or directory) to write; null for the default name in the current directory
 *     ({@link OutputNames#defaultName})
 */
public record BuildRequest(String name, List<ImageSource> sources, ImageSpec spec, ReleaseFile extensionRelease,
        Path output) {
    public BuildRequest {
        Objects.requireNonNull(name, "name");
        sources = List.copyOf(sources);
        spec = spec == null ? ImageSpec.defaults() : spec;
        extensionRelease = extensionRelease == null ? ReleaseFile.EMPTY : extensionRelease;
    }

    /** Sysext or confext ({@link ImageSpec#extensionClass()}). */
    public ExtensionClass extensionClass() {
        return spec.extensionClass();
    }

    /** squashfs, erofs or directory. */
    public BuildFormat format() {
        return spec.format();
    }

    /** The requested compression, or null for the format's default (zstd for squashfs, lz4hc for erofs). */
    public Compression compression() {
        return spec.compression();
    }

    /** How a DDI is written ({@code --format ddi}). */
    public DdiSettings ddi() {
        return spec.ddi();
    }

    /** The format of the file system written: the format itself, or the one inside a DDI. */
    public BuildFormat fileSystemFormat() {
        return spec.fileSystemFormat();
    }

    /** The compression the build uses: the requested one or the format's default. */
    public Compression effectiveCompression() {
        return spec.effectiveCompression();
    }

    /** The timestamp of every entry and of the file system, in seconds. */
    public long sourceDateEpoch() {
        return spec.sourceDateEpoch();
    }

    /** Keep the sources' uid/gid; otherwise every entry is root's. */
    public boolean keepOwnership() {
        return spec.keepOwnership();
    }

    /** Lint warnings become errors. */
    public boolean strict() {
        return spec.strict();
    }

    /** Overwrite an existing output. */
    public boolean force() {
        return spec.force();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent construction: a spec as a whole ({@link #spec}) or its write options one by one. */
    public static final class Builder {
        private final List<ImageSource> sources = new ArrayList<>();
        private final String name;
        private ReleaseFile release = ReleaseFile.EMPTY;
        private ImageSpec.Builder spec = ImageSpec.builder();
        private Path output;

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

        /** The image specification (replacing the write options set so far). */
        public Builder spec(ImageSpec s) {
            this.spec = s.toBuilder();
            return this;
        }

        public Builder extensionRelease(ReleaseFile r) {
            this.release = r;
            return this;
        }

        public Builder extensionClass(ExtensionClass c) {
            spec.extensionClass(c);
            return this;
        }

        public Builder format(BuildFormat f) {
            spec.format(f);
            return this;
        }

        public Builder compression(Compression c) {
            spec.compression(c);
            return this;
        }

        public Builder output(Path p) {
            this.output = p;
            return this;
        }

        public Builder sourceDateEpoch(long e) {
            spec.sourceDateEpoch(e);
            return this;
        }

        public Builder keepOwnership(boolean b) {
            spec.keepOwnership(b);
            return this;
        }

        public Builder strict(boolean b) {
            spec.strict(b);
            return this;
        }

        public Builder force(boolean b) {
            spec.force(b);
            return this;
        }

        public Builder ddi(DdiSettings d) {
            spec.ddi(d);
            return this;
        }

        public BuildRequest build() {
            return new BuildRequest(name, sources, spec.build(), release, output);
        }
    }
}
