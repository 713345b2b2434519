package dev.sysextctl.core.progress;

/**
 * Hears how far long work has come: the builder, the converter and the release publisher call it as they stream
 * entries and bytes, and {@code cli} draws a progress line from it on a terminal (the library never prints).
 * Called on the thread doing the work, often (once per entry or buffer): an implementation must be cheap and
 * must not throw.
 */
public interface ProgressListener {
    /** Hears nothing. */
    ProgressListener NONE = new ProgressListener() {
    };

    /**
     * A step begins (e.g. "writing hello.raw", "unpacking docker.torcx.tgz"); the counts of {@link #advance}
     * start again from zero.
     *
     * @param totalBytes the bytes the step will go through, or -1 when unknown
     */
    default void step(String name, long totalBytes) {
    }

    /** {@code entries} more entries (files, directories, links) and {@code bytes} more bytes are done. */
    default void advance(long entries, long bytes) {
    }

    /** The work is over (also after a failure): nothing more comes. */
    default void done() {
    }
}
