package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.StdinSource;
import java.nio.file.Path;

/** mksquashfs, behind the operations sysextctl needs. */
public interface Mksquashfs {
    /** The version of the installed mksquashfs ({@code 4.5.1}), probed once. */
    String version() throws OperationFailedException;

    /** Writes {@code output} from an uncompressed tar stream fed on stdin ({@code -tar}). */
    void buildFromTar(StdinSource tar, Path output, SquashfsOptions options) throws OperationFailedException;

    /** Writes {@code output} from the contents of {@code directory}. */
    void buildFromDirectory(Path directory, Path output, SquashfsOptions options) throws OperationFailedException;
}
