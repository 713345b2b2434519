package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import java.nio.file.Path;

/** mkfs.erofs, behind the operations sysextctl needs. */
public interface MkfsErofs {
    /** The version of the installed mkfs.erofs ({@code 1.5}), probed once. */
    String version() throws OperationFailedException;

    /** Writes the erofs image {@code output} from the contents of {@code directory}. */
    void build(Path directory, Path output, ErofsOptions options) throws OperationFailedException;
}
