package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessInitException;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.PumpStreamHandler;

/**
 * The process runner: the only class that uses zt-exec. Captures stdout and stderr, feeds stdin from a
 * {@link StdinSource} on its own thread straight into the process's pipe, maps a missing program to
 * {@link ToolNotFoundException}, and restores the interrupt flag when interrupted. Interactive processes
 * ({@link #start}) are plain {@link ProcessBuilder} processes wrapped in a {@link RunningProcess}.
 *
 * <p>Every tool dies with this process: it starts through {@code setpriv --pdeathsig KILL} (util-linux), which
 * sets {@code PR_SET_PDEATHSIG} and execs the tool in its place, so a SIGKILLed sysextctl (no shutdown hook runs)
 * leaves no mksquashfs or mkfs.erofs writing on, and no helper shell holding mounts. The signal comes when the
 * thread that started the tool ends, and every caller waits for its tool on the starting thread (an interactive
 * process lives as long as the command that opened it). Without setpriv the tool starts directly.
 */
public final class ZtProcessRunner implements ProcessRunner {
    private static final int ENOENT = 2;
    private static final List<String> DEATH_SIGNAL = List.of("--pdeathsig", "KILL", "--");
    private static volatile ProcessObserver defaultObserver = ProcessObserver.NONE;
    private final String setpriv;
    private final ProcessObserver observer;

    /**
     * The runner, with {@code setpriv} found on {@code PATH} (tools run directly when it is missing) and the
     * {@linkplain #observeByDefault default observer}.
     */
    public ZtProcessRunner() {
        this(find("setpriv", System.getenv("PATH")), defaultObserver);
    }

    /** The runner, telling {@code observer} about every tool it starts. */
    public static ZtProcessRunner observedBy(ProcessObserver observer) {
        return new ZtProcessRunner(find("setpriv", System.getenv("PATH")), observer);
    }

    /** The runner, with the setpriv to start tools through ({@code null}: start them directly). */
    ZtProcessRunner(String setpriv) {
        this(setpriv, ProcessObserver.NONE);
    }

    private ZtProcessRunner(String setpriv, ProcessObserver observer) {
        this.setpriv = setpriv;
        this.observer = observer;
    }

    /**
     * The observer of the runners made from now on without one ({@link #ZtProcessRunner()},
     * {@link dev.sysextctl.core.tools.NativeTools#system()}): {@code cli} sets it for one command run (its
     * {@code -vv}) and sets {@link ProcessObserver#NONE} back afterwards.
     */
    public static void observeByDefault(ProcessObserver observer) {
        defaultObserver = observer == null ? ProcessObserver.NONE : observer;
    }

    /**
     * The argv that is executed: {@code command}'s own, behind {@code setpriv --pdeathsig KILL --}. The program
     * is looked up first (in the command's {@code PATH} when it sets one), so a missing tool is still
     * {@link ToolNotFoundException} rather than setpriv's exit 127.
     */
    List<String> launchArgv(Command command) throws ToolNotFoundException {
        if (setpriv == null) {
            return command.argv();
        }
        String path = command.environment().get("PATH") != null ? command.environment().get("PATH")
                : System.getenv("PATH");
        String program = command.program();
        if (!program.contains("/") && find(program, path) == null) {
            throw new ToolNotFoundException(program);
        }
        List<String> argv = new ArrayList<>(command.argv().size() + 4);
        argv.add(setpriv);
        argv.addAll(DEATH_SIGNAL);
        argv.addAll(command.argv());
        return argv;
    }

    /** The executable {@code program} on {@code path} (a {@code PATH} value), or null. */
    public static String find(String program, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @Override
    public ProcessResult run(Command command) throws OperationFailedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StdinFeedingHandler streams = new StdinFeedingHandler(out, err, command.stdin());
        ProcessExecutor executor = new ProcessExecutor()
                .command(launchArgv(command))
                .environment(command.environment())
                .streams(streams)
                .redirectErrorStream(false)
                .exitValueAny()
                .destroyOnExit();
        if (command.directory() != null) {
            executor.directory(command.directory().toFile());
        }
        observer.started(command);
        StartedProcess started;
        try {
            started = executor.start();
        } catch (ProcessInitException e) {
            if (e.getErrorCode() == ENOENT) {
                throw new ToolNotFoundException(command.program());
            }
            throw new OperationFailedException("cannot start " + command.program() + ": " + e.getMessage()
                    + "; check that it is installed and executable");
        } catch (IOException e) {
            throw new OperationFailedException("cannot start " + command.program() + ": " + e.getMessage()
                    + "; check that it is installed and executable");
        }
        streams.onStarted(started.getProcess());
        int exit;
        try {
            exit = started.getFuture().get(command.timeout().toMillis(), TimeUnit.MILLISECONDS).getExitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.getProcess().destroyForcibly();
            throw new OperationFailedException(command.program() + " was interrupted; run the command again");
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            started.getProcess().destroyForcibly();
            Throwable cause = e.getCause();
            if (e instanceof TimeoutException || cause instanceof TimeoutException) {
                throw new OperationFailedException(command.program() + " did not finish within "
                        + command.timeout().toSeconds() + " s and was stopped; check the input's size and the "
                        + "machine's load");
            }
            if (cause instanceof InvalidExitValueException iev) {
                exit = iev.getExitValue();
            } else {
                throw new OperationFailedException(command.program() + " failed: "
                        + (cause != null ? cause.getMessage() : e.getMessage()));
            }
        }
        Throwable stdinFailure = streams.failure();
        if (stdinFailure != null && !(exit != 0 && isBrokenPipe(stdinFailure))) {
            throw new StdinFailedException(command.program(), stdinFailure);
        }
        ProcessResult result = new ProcessResult(command.argv(), exit, out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
        observer.finished(command, result);
        return result;
    }

    @Override
    public RunningProcess start(Command command) throws OperationFailedException {
        ProcessBuilder pb = new ProcessBuilder(launchArgv(command));
        command.environment().forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k); // Command.withoutEnvironment
            } else {
                pb.environment().put(k, v);
            }
        });
        if (command.directory() != null) {
            pb.directory(command.directory().toFile());
        }
        observer.started(command);
        try {
            return new InteractiveProcess(pb.start(), command, observer);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("error=2,")) {
                throw new ToolNotFoundException(command.program());
            }
            throw new OperationFailedException("cannot start " + command.program() + ": " + e.getMessage()
                    + "; check that it is installed and executable");
        }
    }

    private static boolean isBrokenPipe(Throwable t) {
        return t instanceof IOException && t.getMessage() != null
                && (t.getMessage().contains("Broken pipe") || t.getMessage().contains("Stream closed"));
    }

    /** Pumps stdout/stderr like zt-exec does, and runs the stdin writer against the process's pipe. */
    private static final class StdinFeedingHandler extends PumpStreamHandler {
        private final StdinSource source;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private OutputStream processStdin;
        private Thread writer;
        private Process process;

        StdinFeedingHandler(OutputStream out, OutputStream err, StdinSource source) {
            super(out, err);
            this.source = source;
        }

        @Override
        public void setProcessInputStream(OutputStream os) {
            if (source == null) {
                super.setProcessInputStream(os);
            } else {
                this.processStdin = os;
            }
        }

        void onStarted(Process p) {
            this.process = p;
        }

        @Override
        public void start() {
            super.start();
            if (source != null) {
                writer = new Thread(this::feed, "stdin-writer");
                writer.setDaemon(true);
                writer.start();
            }
        }

        private void feed() {
            try (OutputStream os = new java.io.BufferedOutputStream(processStdin, 1 << 20)) {
                source.writeTo(os);
            } catch (IOException | RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                Process p = process;
                if (p != null && !isBrokenPipe(e)) {
                    p.destroyForcibly();
                }
            }
        }

        @Override
        public void stop() {
            if (writer != null) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.stop();
        }

        Throwable failure() {
            return failure.get();
        }
    }
}
