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

    /**
     * Whether {@link #buildFromDirectory} gives, for the same entries in the same order, the very image
     * {@link #buildFromTar} gives: a version whose {@code -tar} layout (no export table) has been checked byte
     * for byte against a directory build, with the options such a build needs. Probed once.
     */
    boolean readsDirectoriesAsTar() throws OperationFailedException;

    /**
     * Writes {@code output} with mksquashfs reading {@code input}'s directory itself, laid out as a build from a
     * tar stream is ({@code -no-exports}), with pseudo-file definitions added and excluded paths left out;
     * any error reading the tree fails the build ({@code -exit-on-error}) instead of leaving an empty file.
     */
    void buildFromDirectory(SquashfsDirectoryInput input, Path output, SquashfsOptions options)
            throws OperationFailedException;

    /** A build from a directory that runs while the caller does other work ({@link #startFromDirectory}). */
    interface Running extends AutoCloseable {
        /** Waits for the build to end. @throws OperationFailedException when the image was not written */
        void await() throws OperationFailedException;

        /** Stops the build if it still runs, and returns once it no longer writes. */
        @Override
        void close();
    }

    /**
     * {@link #buildFromDirectory}, started now and running while the caller goes on: the caller either
     * {@linkplain Running#await awaits} it or {@linkplain Running#close stops} it. By default it runs at
     * {@code await} (a runner that cannot start processes in the background).
     */
    default Running startFromDirectory(SquashfsDirectoryInput input, Path output, SquashfsOptions options)
            throws OperationFailedException {
        return new Running() {
            @Override
            public void await() throws OperationFailedException {
                buildFromDirectory(input, output, options);
            }

            @Override
            public void close() {
            }
        };
    }
}
