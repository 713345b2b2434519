package dev.sysextctl.builder.source;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * A file's content that a source reads from a file on disk (a {@link DirectorySource}): a writer that only needs
 * the file to be there, such as the staged tree mkfs.erofs reads, may link that file instead of copying its bytes.
 * The stream stays the content: whoever cannot use the file reads it as before.
 */
public interface FileBackedContent {
    /** The file the content is read from (its path as the source walked it, never a symlink); null if not known. */
    Path file();

    /** The file behind {@code content}, or null when it is not backed by one. */
    static Path fileOf(InputStream content) {
        return content instanceof FileBackedContent f ? f.file() : null;
    }
}
