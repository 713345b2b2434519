package dev.sysextctl.core.process;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@link RunningProcess} over a {@link Process}: a daemon thread queues stdout lines (so reads can time out),
 * another collects stderr. Its {@link ProcessObserver} learns the result when it is {@linkplain #finish finished}.
 */
final class InteractiveProcess implements RunningProcess {
    private static final String EOF = new String("<eof>");
    private final Process process;
    private final Command command;
    private final String program;
    private final ProcessObserver observer;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Thread errPump;

    InteractiveProcess(Process process, String program) {
        this(process, Command.of(program), ProcessObserver.NONE);
    }

    InteractiveProcess(Process process, Command command, ProcessObserver observer) {
        this.process = process;
        this.command = command;
        this.program = command.program();
        this.observer = observer;
        this.stdin = process.getOutputStream();
        Thread outPump = new Thread(this::pumpStdout, program + "-stdout");
        outPump.setDaemon(true);
        outPump.start();
        errPump = new Thread(() -> pump(process.getErrorStream()), program + "-stderr");
        errPump.setDaemon(true);
        errPump.start();
    }

    private void pumpStdout() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process went away: end of stream
        } finally {
            lines.add(EOF);
        }
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                synchronized (err) {
                    err.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void write(String text) throws OperationFailedException {
        try {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new OperationFailedException(program + " stopped unexpectedly (" + e.getMessage() + "): "
                    + lastLine(stderr()) + "; run again with -v to see its output");
        }
    }

    @Override
    public String readLine(Duration timeout) throws OperationFailedException {
        try {
            String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                close();
                throw new OperationFailedException(program + " did not answer within " + timeout.toSeconds()
                        + " s and was stopped; check the machine's load and the kernel log (dmesg)");
            }
            if (line == EOF) {
                lines.add(EOF);
                return null;
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new OperationFailedException(program + " was interrupted; run the command again");
        }
    }

    @Override
    public String stderr() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public ProcessResult finish(Duration timeout) throws OperationFailedException {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new OperationFailedException(program + " did not exit within " + timeout.toSeconds()
                        + " s and was stopped; check the machine's load");
            }
            errPump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new OperationFailedException(program + " was interrupted; run the command again");
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            if (l != EOF) {
                out.append(l).append('\n');
            }
        }
        ProcessResult result = new ProcessResult(command.argv(), process.exitValue(), out.toString(), stderr());
        observer.finished(command, result);
        return result;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String lastLine(String text) {
        String[] l = text.strip().split("\n");
        return l.length == 0 || l[l.length - 1].isBlank() ? "(no output)" : l[l.length - 1].strip();
    }
}
