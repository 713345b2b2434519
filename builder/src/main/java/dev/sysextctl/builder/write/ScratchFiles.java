package dev.sysextctl.builder.write;

import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.TreeDeletion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Temporary files and trees of one build (the image under its temporary name, a staged tree). They are removed
 * when the build ends, whether it succeeds or fails, and by a shutdown hook when the process is stopped (SIGTERM,
 * Ctrl-C), so an interrupted build leaves nothing half-written. A path handed over to its final name is
 * {@link #release released} first. A SIGKILL runs no hook: what it leaves carries the dead owner in its name and
 * goes with the next run's {@link #sibling} in that directory (or {@link AtomicFiles#createScratchDirectory}).
 */
public final class ScratchFiles implements AutoCloseable {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TreeDeletion::deleteQuietly),
                "sysextctl-scratch-cleanup"));
    }

    private final List<Path> mine = new ArrayList<>();
    private final List<Thread> deleting = new ArrayList<>();
    /** How a tree is removed in the background ({@link TreeDeletion#deleteQuietly}; a test may watch it). */
    private final Consumer<Path> backgroundDeletion;

    public ScratchFiles() {
        this(TreeDeletion::deleteQuietly);
    }

    ScratchFiles(Consumer<Path> backgroundDeletion) {
        this.backgroundDeletion = backgroundDeletion;
    }

    /**
     * A fresh temporary name beside {@code target} ({@link AtomicFiles#temporarySibling}), registered for removal,
     * after removing the temporaries a killed process left beside it (a partial image, a staged tree): the names
     * record their owner, so only those of processes that are gone go, never a concurrent live build's.
     */
    public Path sibling(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        AtomicFiles.removeStaleSiblings(dir);
        return register(AtomicFiles.temporarySibling(target));
    }

    /** Registers {@code p} (not yet necessarily existing) for removal. */
    public Path register(Path p) {
        LIVE.add(p);
        mine.add(p);
        return p;
    }

    /** {@code p} has been renamed into place or removed: stop tracking it. */
    public void release(Path p) {
        LIVE.remove(p);
        mine.remove(p);
    }

    /** Removes {@code p} now and stops tracking it. */
    public void delete(Path p) {
        TreeDeletion.deleteQuietly(p);
        release(p);
    }

    /**
     * Removes {@code p} on a thread of its own while the build goes on (a staged tree nothing reads any more);
     * {@link #close} waits for it. Until then it stays registered, so the shutdown hook still removes it.
     */
    public void deleteInBackground(Path p) {
        Thread t = new Thread(() -> backgroundDeletion.accept(p), "sysextctl-scratch-delete");
        t.setDaemon(true);
        deleting.add(t);
        t.start();
    }

    @Override
    public void close() {
        boolean interrupted = false;
        for (Thread t : deleting) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        deleting.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Path p : new ArrayList<>(mine)) {
            delete(p);
        }
    }
}
