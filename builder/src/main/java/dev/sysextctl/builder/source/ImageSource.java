package dev.sysextctl.builder.source;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Findings;
import java.io.IOException;

/**
 * Something that contributes entries to an image: a directory tree, a tar archive, a converted torcx archive.
 * A source is read in passes: {@link #scan} may be called more than once (once for the index and lint, once
 * to write the image) and must produce the same entries, in the same order, each time.
 */
public interface ImageSource {
    /** What the source is, for messages and the build report ({@code ./tree}, {@code app.tar.zst}). */
    String describe();

    /**
     * Visits every entry in order. Paths are normalised and relative to the image root. For regular files the
     * visitor may read the content from the stream it is given, during the call only. Entries that must not
     * be used (an absolute path, {@code ..}, a link escaping the tree) are reported to {@code findings} as
     * {@code unsafe-path} and not visited.
     */
    void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException;
}
