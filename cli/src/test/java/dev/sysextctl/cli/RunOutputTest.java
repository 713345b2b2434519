package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.progress.ProgressListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * A run's stderr side-channels with a real process: {@code -vv} prints each tool's command line, shell-quoted, and
 * its stderr; less verbosity prints neither; the progress line exists only on a terminal without -q or --json.
 */
class RunOutputTest {
    final StringWriter err = new StringWriter();
    final Terminal tty = new Terminal(true, 80);

    private String runShell(int verbosity) throws Exception {
        RunOutput run = RunOutput.begin(new PrintWriter(err, true), verbosity, false, Terminal.NONE, System::nanoTime);
        try {
            new ZtProcessRunner().run(Command.of("sh", "-c", "echo it\\'s >&2; echo out"));
        } finally {
            run.end();
        }
        return err.toString();
    }

    @Test
    void veryVerbosePrintsTheCommandLineAndItsStderr() throws Exception {
        assertThat(runShell(2)).isEqualTo("+ sh -c 'echo it\\'\\''s >&2; echo out'\nit's\n");
    }

    @Test
    void lessVerbosityPrintsNeither() throws Exception {
        assertThat(runShell(1)).isEmpty();
        assertThat(runShell(0)).isEmpty();
        assertThat(runShell(-1)).isEmpty();
    }

    @Test
    void runnersMadeAfterTheRunObserveNothing() throws Exception {
        runShell(2);
        err.getBuffer().setLength(0);
        new ZtProcessRunner().run(Command.of("sh", "-c", "echo late >&2"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void progressOnlyOnATerminalWithoutQuietOrJson() {
        assertThat(progressOf(0, false, tty)).isInstanceOf(ProgressLine.class);
        assertThat(progressOf(2, false, tty)).isInstanceOf(ProgressLine.class);
        assertThat(progressOf(-1, false, tty)).isSameAs(ProgressListener.NONE);
        assertThat(progressOf(0, true, tty)).isSameAs(ProgressListener.NONE);
        assertThat(progressOf(0, false, Terminal.NONE)).isSameAs(ProgressListener.NONE);
    }

    private ProgressListener progressOf(int verbosity, boolean json, Terminal terminal) {
        RunOutput run = RunOutput.begin(new PrintWriter(err, true), verbosity, json, terminal, System::nanoTime);
        try {
            return RunOutput.progress();
        } finally {
            run.end();
        }
    }

    @Test
    void aTerminalIsAPseudoTerminalOrTtyDevice() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("fd");
        try {
            java.nio.file.Path pts = java.nio.file.Files.createSymbolicLink(dir.resolve("pts"),
                    java.nio.file.Path.of("/dev/pts/3"));
            java.nio.file.Path pipe = java.nio.file.Files.createSymbolicLink(dir.resolve("pipe"),
                    java.nio.file.Path.of("pipe:[1234]"));
            java.nio.file.Path file = java.nio.file.Files.createSymbolicLink(dir.resolve("file"),
                    java.nio.file.Path.of("/tmp/build.log"));
            assertThat(Terminal.isTerminal(pts)).isTrue();
            assertThat(Terminal.isTerminal(pipe)).isFalse();
            assertThat(Terminal.isTerminal(file)).isFalse();
        } finally {
            dev.sysextctl.testing.Shell.sh("rm -rf '" + dir + "'");
        }
    }
}
