package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.file.Path;

/** File digests for build reports and {@code inspect}. */
public interface Checksums {
    /** The lower-case hex SHA-256 of the file's content. */
    String sha256(Path file) throws OperationFailedException;
}
