package dev.sysextctl.cli;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessObserver;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ZtProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * What sysextctl knows of the terminal its diagnostics go to: whether stderr is one (a live progress line is drawn
 * only then) and how wide it is. Tests replace the detection ({@link #detector}).
 */
record Terminal(boolean stderrIsTerminal, int width) {
    static final int DEFAULT_WIDTH = 80;
    static final Terminal NONE = new Terminal(false, DEFAULT_WIDTH);

    /** How the terminal is found; tests put a fixed answer here and {@link #detect} back afterwards. */
    static volatile Supplier<Terminal> detector = Terminal::detect;

    static Terminal current() {
        return detector.get();
    }

    /**
     * This process's stderr: a terminal when file descriptor 2 is a tty or pseudo-terminal device; its width from
     * {@code COLUMNS}, else 0: measured ({@link #measuredWidth}) only when a progress line is drawn.
     */
    static Terminal detect() {
        if (!isTerminal(Path.of("/proc/self/fd/2"))) {
            return NONE;
        }
        return new Terminal(true, columns(System.getenv()).orElse(0));
    }

    /**
     * The help's width from {@code COLUMNS} (as systemd's tools honour it), when it is a number picocli can lay out
     * (55 or more); otherwise help asks the terminal ({@code usageHelpAutoWidth}), 80 columns when there is none.
     */
    static OptionalInt columns(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns == null || !columns.trim().matches("[0-9]{1,4}")) {
            return OptionalInt.empty();
        }
        int width = Integer.parseInt(columns.trim());
        return width >= MIN_HELP_WIDTH ? OptionalInt.of(width) : OptionalInt.empty();
    }

    /** picocli's narrowest help. */
    private static final int MIN_HELP_WIDTH = 55;

    /**
     * False when {@code fd} (a {@code /proc/self/fd} link) is surely no terminal: a pipe, a socket, {@code /dev/null} or a
     * file outside {@code /dev}; true otherwise, also when it cannot be read ({@link System#console()} decides then).
     */
    static boolean mayBeTerminal(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/") && !target.equals("/dev/null");
        } catch (IOException | UnsupportedOperationException e) {
            return true;
        }
    }

    /** The width of the terminal on stderr from {@code stty size}, else 80. */
    static int measuredWidth() {
        return sttyWidth();
    }

    static boolean isTerminal(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static int sttyWidth() {
        try {
            ProcessResult r = ZtProcessRunner.observedBy(ProcessObserver.NONE).run(Command.of("stty", "-F", "/dev/stderr",
                    "size").withTimeout(Duration.ofSeconds(2)));
            String[] rowsCols = r.stdout().trim().split("\\s+");
            int width = r.succeeded() && rowsCols.length == 2 ? Integer.parseInt(rowsCols[1]) : 0;
            return width >= 20 ? width : DEFAULT_WIDTH;
        } catch (dev.sysextctl.core.error.OperationFailedException | NumberFormatException e) {
            return DEFAULT_WIDTH;
        }
    }
}
