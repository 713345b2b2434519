package dev.sysextctl.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The real process runner against coreutils. */
class ZtProcessRunnerTest {
    private final ZtProcessRunner runner = new ZtProcessRunner();

    @Test
    void aProcessStartedInTheBackgroundTellsItsObserverItsArgvAndStderrWhenFinished() throws Exception {
        java.util.List<String> told = new java.util.ArrayList<>();
        ProcessObserver observer = new ProcessObserver() {
            @Override
            public void started(Command command) {
                told.add("started " + command.argv());
            }

            @Override
            public void finished(Command command, ProcessResult result) {
                told.add("finished " + result.argv() + " exit " + result.exitCode() + ": " + result.stderr());
            }
        };
        RunningProcess p = ZtProcessRunner.observedBy(observer).start(Command.of("sh", "-c", "echo warning >&2; exit 2"));
        ProcessResult r = p.finish(Duration.ofSeconds(30));
        assertThat(r.argv()).containsExactly("sh", "-c", "echo warning >&2; exit 2");
        assertThat(told).containsExactly("started [sh, -c, echo warning >&2; exit 2]",
                "finished [sh, -c, echo warning >&2; exit 2] exit 2: warning\n");
    }

    @Test
    void capturesStdoutStderrAndExitCode() throws Exception {
        ProcessResult r = runner.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.lastErrorLine()).isEqualTo("err");
    }

    @Test
    void runCheckedThrowsWithTheLastErrorLine() {
        assertThatThrownBy(() -> runner.runChecked(Command.of("sh", "-c", "echo first >&2; echo boom >&2; exit 1")))
                .isInstanceOf(CommandFailedException.class).hasMessage("sh failed (exit 1): boom");
    }

    @Test
    void missingProgramNamesThePackage() {
        assertThatThrownBy(() -> runner.run(Command.of("mksquashfs-does-not-exist")))
                .isInstanceOf(ToolNotFoundException.class).hasMessageContaining("mksquashfs-does-not-exist not found");
    }

    @Test
    void feedsStdinFromAWriter() throws Exception {
        byte[] big = new byte[5 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        ProcessResult r = runner.run(Command.of("wc", "-c").withStdin(out -> out.write(big)));
        assertThat(r.stdout().trim()).isEqualTo(Integer.toString(big.length));
    }

    @Test
    void writerFailureStopsTheProcessAndSurfaces() {
        assertThatThrownBy(() -> runner.run(Command.of("cat").withStdin(out -> {
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            throw new IOException("archive is corrupt");
        }))).isInstanceOf(StdinFailedException.class).hasMessageContaining("archive is corrupt")
                .hasRootCauseMessage("archive is corrupt");
    }

    @Test
    void processExitingEarlyReportsItsExitNotABrokenPipe() throws Exception {
        ProcessResult r = runner.run(Command.of("sh", "-c", "echo nope >&2; exit 4").withStdin(out -> {
            byte[] chunk = new byte[1 << 16];
            for (int i = 0; i < 1000; i++) {
                out.write(chunk);
            }
        }));
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stderr()).contains("nope");
    }

    @Test
    void timeoutStopsTheProcess() {
        assertThatThrownBy(() -> runner.run(Command.of("sleep", "30").withTimeout(Duration.ofMillis(300))))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("did not finish");
    }

    @Test
    void environmentAndDirectoryAreApplied() throws Exception {
        ProcessResult r = runner.run(Command.of("sh", "-c", "echo $FOO; pwd").withEnvironment("FOO", "bar")
                .withDirectory(java.nio.file.Path.of("/usr")));
        assertThat(r.stdout()).isEqualTo("bar\n/usr\n");
    }

    @Test
    void toolsStartBehindSetprivSoThatTheyDieWithThisProcess() throws Exception {
        ZtProcessRunner wrapped = new ZtProcessRunner("/usr/bin/setpriv");
        assertThat(wrapped.launchArgv(Command.of("mksquashfs", "-version").withEnvironment("PATH", "/bin:/usr/bin")))
                .isEqualTo(java.util.List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "mksquashfs",
                        "-version"));
        assertThat(new ZtProcessRunner(null).launchArgv(Command.of("sh", "-c", "true")))
                .isEqualTo(java.util.List.of("sh", "-c", "true"));
        assertThatThrownBy(() -> wrapped.launchArgv(Command.of("mksquashfs-does-not-exist")))
                .isInstanceOf(ToolNotFoundException.class);
    }

    @Test
    void aToolDiesWhenItsJvmIsKilled() throws Exception {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process jvm = new ProcessBuilder(javaBin, "-Xshare:auto", "-cp", System.getProperty("java.class.path"),
                PdeathsigProbe.class.getName()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            ProcessHandle sleep = null;
            for (int i = 0; i < 600 && sleep == null; i++) {
                sleep = jvm.descendants().filter(h -> h.info().command().orElse("").endsWith("/sleep")).findFirst()
                        .orElse(null);
                if (sleep == null) {
                    Thread.sleep(50);
                }
            }
            assertThat(sleep).as("sleep started by the probe JVM").isNotNull();
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook, no destroyOnExit
            jvm.waitFor();
            boolean gone = false;
            for (int i = 0; i < 200 && !gone; i++) {
                gone = !sleep.isAlive() || isZombie(sleep.pid());
                if (!gone) {
                    Thread.sleep(50);
                }
            }
            ProcessHandle s = sleep;
            if (!gone) {
                s.destroyForcibly();
            }
            assertThat(gone).as("sleep (pid %d) ended with the JVM that started it", s.pid()).isTrue();
        } finally {
            jvm.destroyForcibly();
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
