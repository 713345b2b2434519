package dev.sysextctl.cli;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessObserver;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.progress.ProgressListener;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * The stderr side-channels of one command run, set up before the command runs and ended after it
 * ({@link SysextctlCommand}'s execution strategy): the live progress line (on a terminal, not with {@code -q} or
 * {@code --json}) and, with {@code -vv}, every native tool's command line ({@code + mksquashfs ...}, shell-quoted)
 * and its stderr, through the process runner's observer.
 */
final class RunOutput implements ProcessObserver {
    private static volatile RunOutput current;
    /** The progress line's clock (nanoseconds); tests put a fake one here. */
    static volatile LongSupplier clock = System::nanoTime;

    private final PrintWriter err;
    private final boolean traceTools;
    private final ProgressLine progress;

    private RunOutput(PrintWriter err, boolean traceTools, ProgressLine progress) {
        this.err = err;
        this.traceTools = traceTools;
        this.progress = progress;
    }

    /**
     * Starts a run that prints on {@code err}.
     *
     * @param verbosity -1 with {@code -q}, else the number of {@code -v}
     * @param json whether {@code --json} asks for a document on stdout
     */
    static RunOutput begin(PrintWriter err, int verbosity, boolean json, Terminal terminal, LongSupplier clock) {
        boolean drawProgress = verbosity >= 0 && !json && terminal.stderrIsTerminal();
        RunOutput run = new RunOutput(err, verbosity >= 2,
                drawProgress ? new ProgressLine(err, clock, terminal.width()) : null);
        current = run;
        ZtProcessRunner.observeByDefault(run.traceTools ? run : ProcessObserver.NONE);
        return run;
    }

    /** Clears the progress line and stops watching the tools. */
    void end() {
        if (progress != null) {
            progress.done();
        }
        ZtProcessRunner.observeByDefault(ProcessObserver.NONE);
        if (current == this) {
            current = null;
        }
    }

    /** Where the library reports how far long work has come in the current run: the progress line, or nothing. */
    static ProgressListener progress() {
        RunOutput run = current;
        return run == null || run.progress == null ? ProgressListener.NONE : run.progress;
    }

    /** Clears the current run's progress line before a diagnostic is printed on stderr. */
    static void clearProgress() {
        RunOutput run = current;
        if (run != null && run.progress != null) {
            run.progress.clear();
        }
    }

    @Override
    public void started(Command command) {
        synchronized (err) {
            clearProgress();
            err.println("+ " + command.display());
            err.flush();
        }
    }

    @Override
    public void finished(Command command, ProcessResult result) {
        String stderr = result.stderr();
        if (stderr.isBlank()) {
            return;
        }
        synchronized (err) {
            clearProgress();
            err.print(stderr.endsWith("\n") ? stderr : stderr + "\n");
            err.flush();
        }
    }
}
