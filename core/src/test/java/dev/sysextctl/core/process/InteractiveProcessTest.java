package dev.sysextctl.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A shell kept alive and talked to line by line (what the merger's namespace helper relies on). */
class InteractiveProcessTest {
    @Test
    void conversationLineByLineThenExit() throws Exception {
        try (RunningProcess p = new ZtProcessRunner().start(Command.of("/bin/sh", "-s"))) {
            assertThat(p.pid()).isPositive();
            p.write("echo one; echo oops >&2\n");
            assertThat(p.readLine(Duration.ofSeconds(10))).isEqualTo("one");
            p.write("x=2; echo \"two $x\"\n");
            assertThat(p.readLine(Duration.ofSeconds(10))).isEqualTo("two 2");
            p.write("exit 3\n");
            ProcessResult r = p.finish(Duration.ofSeconds(10));
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(p.stderr()).contains("oops");
            assertThat(p.readLine(Duration.ofSeconds(1))).isNull();
        }
    }

    @Test
    void aSilentProcessTimesOutAndIsStopped() throws Exception {
        RunningProcess p = new ZtProcessRunner().start(Command.of("/bin/sh", "-s"));
        assertThatThrownBy(() -> p.readLine(Duration.ofMillis(200))).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("did not answer");
        p.close();
    }

    @Test
    void aMissingProgramIsReportedWithItsPackage() {
        assertThatThrownBy(() -> new ZtProcessRunner().start(Command.of("systemd-sysext-does-not-exist")))
                .isInstanceOf(ToolNotFoundException.class);
    }
}
