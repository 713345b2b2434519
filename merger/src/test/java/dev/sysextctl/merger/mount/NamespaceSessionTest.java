package dev.sysextctl.merger.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.RunningProcess;
import dev.sysextctl.core.tools.Mounter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conversation with the namespace shell, against a scripted shell that answers like sh would. */
class NamespaceSessionTest {
    /** Answers "@@rc ID RC" for each step line; steps whose command contains "fail" exit 32. */
    static final class FakeShell implements RunningProcess {
        final StringBuilder received = new StringBuilder();
        final Deque<String> out = new ArrayDeque<>();
        final boolean preludeFails;
        boolean closed;

        FakeShell(boolean preludeFails) {
            this.preludeFails = preludeFails;
        }

        @Override
        public long pid() {
            return 999_999_999L;
        }

        @Override
        public void write(String text) {
            received.append(text);
            for (String line : text.split("\n")) {
                if (line.startsWith("echo '@@rc prelude'")) {
                    out.add("@@rc prelude " + (preludeFails ? 1 : 0));
                } else if (line.startsWith("s ")) {
                    String[] f = line.split(" ", 3);
                    out.add("@@rc " + f[1] + " " + (f[2].contains("fail") ? 32 : 0));
                }
            }
        }

        @Override
        public String readLine(Duration timeout) {
            return out.poll();
        }

        @Override
        public String stderr() {
            return "mount: /run: not mount point or bad option";
        }

        @Override
        public ProcessResult finish(Duration timeout) {
            closed = true;
            return new ProcessResult(List.of("sh"), 0, "", "");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static Mounter mounter(FakeShell shell, List<Mounter.Propagation> asked) {
        return new Mounter() {
            @Override
            public RunningProcess namespaceShell(Propagation p) {
                asked.add(p);
                return shell;
            }

            @Override
            public void unmountDetached(Path p) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void preludeMakesRunASlaveAndMountsAPrivateWorkspace() {
        String merge = NamespaceSession.prelude(Mounter.Propagation.UNCHANGED);
        assertThat(merge).contains("mount --make-rslave /run && mount -t tmpfs -o mode=0700,X-mount.mkdir sysext "
                + "/run/systemd/sysext && mkdir -m 0700 /run/systemd/sysext/.sysextctl\n");
        assertThat(merge).contains("s() { i=$1; shift; \"$@\" </dev/null >/run/systemd/sysext/.sysextctl/$i 2>&1;");
        assertThat(NamespaceSession.prelude(Mounter.Propagation.SLAVE)).contains("mount --make-rslave /run "
                + "2>/dev/null || true");
    }

    @Test
    void preludeHidesTheLoopDevicesOnlyWhereNothingReachesTheNode() {
        // a session that propagates makes /sys a slave first and hides nothing when it cannot
        assertThat(NamespaceSession.prelude(Mounter.Propagation.UNCHANGED)).contains("\n{ mount --make-rslave /sys && "
                + "mount -t tmpfs -o ro,mode=0755,size=4k sysextctl /sys/block; } 2>/dev/null\n");
        // under --propagation slave every mount is a slave already
        assertThat(NamespaceSession.prelude(Mounter.Propagation.SLAVE)).contains("\n{ mount -t tmpfs -o "
                + "ro,mode=0755,size=4k sysextctl /sys/block; } 2>/dev/null\n");
        // before the workspace: the exit code the session waits for is the workspace's
        String prelude = NamespaceSession.prelude(Mounter.Propagation.UNCHANGED);
        assertThat(prelude.indexOf("/sys/block")).isLessThan(prelude.indexOf("mount --make-rslave /run"));
        assertThat(prelude.strip()).endsWith("/run/systemd/sysext/.sysextctl");
    }

    @Test
    void stepsAreSentInOneBatchAndTheirExitCodesMapBackToTheirIds() throws Exception {
        FakeShell shell = new FakeShell(false);
        List<Mounter.Propagation> asked = new ArrayList<>();
        try (NamespaceSession s = NamespaceSession.open(mounter(shell, asked), Mounter.Propagation.UNCHANGED)) {
            Map<String, StepResult> r = s.run(List.of(MountStep.of("a", "mount", "-t", "squashfs", "-o", "ro,loop",
                    "/img/a.raw", "/run/systemd/sysext/extensions/a"), MountStep.of("b", "mount", "/fail b", "/x")));
            assertThat(r.get("a").succeeded()).isTrue();
            assertThat(r.get("b").exitCode()).isEqualTo(32);
            assertThat(r.get("b").message()).isEqualTo("exit 32");
            assertThat(shell.received.toString()).contains("s b1-0 mount -t squashfs -o ro,loop /img/a.raw "
                    + "/run/systemd/sysext/extensions/a\ns b1-1 mount '/fail b' /x\n");
            assertThat(s.view("/run/systemd/sysext/meta/usr")).isEqualTo(Path.of(
                    "/proc/999999999/root/run/systemd/sysext/meta/usr"));
            assertThat(s.transcript()).hasSize(2);
        }
        assertThat(asked).containsExactly(Mounter.Propagation.UNCHANGED);
        assertThat(shell.received.toString()).endsWith("exit 0\n");
        assertThat(shell.closed).isTrue();
    }

    @Test
    void independentStepsRunSeveralAtATimeAndStillMapBackToTheirIds() throws Exception {
        FakeShell shell = new FakeShell(false);
        try (NamespaceSession s = NamespaceSession.open(mounter(shell, new ArrayList<>()),
                Mounter.Propagation.UNCHANGED)) {
            List<MountStep> steps = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                steps.add(MountStep.of("m" + i, "mount", "-o", "ro,loop", i == 3 ? "/fail" : "/img/" + i, "/x/" + i));
            }
            Map<String, StepResult> r = s.run(steps, 2);
            assertThat(r.keySet()).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4");
            assertThat(r.get("m3").exitCode()).isEqualTo(32);
            assertThat(r.get("m4").succeeded()).isTrue();
            // two in the background, then wait for them; the last group waits too
            assertThat(shell.received.toString()).contains("s b1-0 mount -o ro,loop /img/0 /x/0 &\n"
                    + "s b1-1 mount -o ro,loop /img/1 /x/1 & wait\n"
                    + "s b1-2 mount -o ro,loop /img/2 /x/2 &\n"
                    + "s b1-3 mount -o ro,loop /fail /x/3 & wait\n"
                    + "s b1-4 mount -o ro,loop /img/4 /x/4 & wait\n");
        }
    }

    @Test
    void startSendsTheSetUpWithoutWaitingAndTheFirstStepWaitsForIt() throws Exception {
        FakeShell shell = new FakeShell(false);
        try (NamespaceSession s = NamespaceSession.start(mounter(shell, new ArrayList<>()),
                Mounter.Propagation.UNCHANGED)) {
            // the set-up is sent and its answer not yet read: the caller works meanwhile
            assertThat(shell.received.toString()).contains("echo '@@rc prelude' $?");
            assertThat(shell.out).containsExactly("@@rc prelude 0");
            StepResult r = s.run(MountStep.of("a", "mount", "--bind", "/a", "/b"));
            assertThat(r.succeeded()).isTrue();
            assertThat(shell.out).isEmpty();
        }
    }

    @Test
    void aFailedPreludeAfterStartIsReportedByTheFirstStepWithTheSameMessage() throws Exception {
        FakeShell shell = new FakeShell(true);
        NamespaceSession s = NamespaceSession.start(mounter(shell, new ArrayList<>()), Mounter.Propagation.SLAVE);
        assertThat(shell.closed).isFalse();
        assertThatThrownBy(() -> s.run(MountStep.of("a", "mount", "--bind", "/a", "/b")))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("not mount point")
                .hasMessageContaining("must run as root");
        assertThat(shell.closed).isTrue();
        assertThat(shell.received.toString()).doesNotContain("s b1-0");
    }

    @Test
    void aFailedPreludeSaysWhatIsNeeded() {
        FakeShell shell = new FakeShell(true);
        assertThatThrownBy(() -> NamespaceSession.open(mounter(shell, new ArrayList<>()), Mounter.Propagation.SLAVE))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("not mount point")
                .hasMessageContaining("must run as root");
        assertThat(shell.closed).isTrue();
    }
}
