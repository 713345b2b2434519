package dev.sysextctl.builder.source;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Findings;
import java.io.IOException;
import java.util.Map;

/**
 * Something that contributes entries to an image: a directory tree, a tar archive, a converted torcx archive.
 * A source is read in passes: {@link #scan} may be called more than once (once for the index and lint, once
 * to write the image; a build from a single squashfs source scans once) and must produce the same entries, in the
 * same order, each time. Close it when the build is done (it may hold a staging directory).
 */
public interface ImageSource extends AutoCloseable {
    /** What the source is, for messages and the build report ({@code ./tree}, {@code app.tar.zst}). */
    String describe();

    /**
     * Visits every entry in order. Paths are normalised and relative to the image root. For regular files the
     * visitor may read the content from the stream it is given, during the call only. Entries that must not
     * be used (an absolute path, {@code ..}, a link escaping the tree) are reported to {@code findings} as
     * {@code unsafe-path} and not visited.
     */
    void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException;

    /**
     * Extension-release fields the content implies (a converted torcx archive: {@code ARCHITECTURE} of its
     * binaries, {@code EXTENSION_RELOAD_MANAGER=1}); {@code build} uses them where no flag says otherwise.
     */
    default Map<String, String> releaseDefaults() {
        return Map.of();
    }

    /** Releases what the source holds (temporary files); nothing by default. */
    @Override
    default void close() {
    }
}
