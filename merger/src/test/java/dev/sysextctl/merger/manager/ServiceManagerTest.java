package dev.sysextctl.merger.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.tools.DefaultSystemctl;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.engine.MergeOptions;
import dev.sysextctl.merger.manager.ManagerSync.Reload;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What follows a change of the merge on PID 1, with the exact systemctl argv (a recording runner stands in for
 * systemctl: PID 1 cannot run here; the e2e scenario DayTwoIT runs it on a systemd-booted node). The node's tree
 * after the change is a directory; the state before it is given.
 */
class ServiceManagerTest {
    @TempDir
    Path root;
    Node node;

    /** Records every command; answers {@code show} from a table and everything else with {@code exit}. */
    static final class Recording implements ProcessRunner {
        final List<List<String>> argvs = new ArrayList<>();
        final Function<Command, ProcessResult> answer;

        Recording(Function<Command, ProcessResult> answer) {
            this.answer = answer;
        }

        @Override
        public ProcessResult run(Command command) {
            argvs.add(command.argv());
            return answer.apply(command);
        }
    }

    static Recording systemctl(String showOutput, String failing) {
        return new Recording(c -> {
            if (c.argv().get(1).equals(failing)) {
                return new ProcessResult(c.argv(), 1, "", "Failed to connect to bus: No such file or directory\n");
            }
            return new ProcessResult(c.argv(), 0, c.argv().get(1).equals("show") ? showOutput : "", "");
        });
    }

    @BeforeEach
    void tree() throws Exception {
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        Files.writeString(units.resolve("ssh.service"), "[Service]\n");
        Files.writeString(units.resolve("docker.service"), "[Service]\n");
        Files.createDirectories(units.resolve("multi-user.target.d"));
        Files.writeString(root.resolve("usr/lib/os-release"), "ID=debian\n");
        node = Node.open(root, null, Map.of());
    }

    /** Before: agent and containerd (which asks for a reload) were merged with their units; both left. */
    static ServiceManager.Before agentAndContainerdLeft() {
        return new ServiceManager.Before(null, new ManagerSnapshot(List.of("agent", "containerd", "docker"),
                List.of("containerd"), Set.of("ssh.service", "docker.service", "agent.service",
                        "containerd.service", "worker@.service")));
    }

    static final String SHOW = "Id=agent.service\nLoadState=not-found\nActiveState=active\n\n"
            + "Id=containerd.service\nLoadState=loaded\nActiveState=active\n\n"
            + "Id=worker@1.service\nLoadState=not-found\nActiveState=active\n";

    @Test
    void afterAnImageLeftPid1IsReloadedThenTheUnitsLeftWithoutAUnitFileAreStoppedTogether() {
        Recording r = systemctl(SHOW, null);
        ManagerSync s = new ServiceManager(new DefaultSystemctl(r), () -> true).after(node, agentAndContainerdLeft(),
                EngineKind.NATIVE, 0, MergeAction.REFRESH, MergeOptions.DEFAULT, null);
        assertThat(r.argvs).containsExactly(List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "show", "-p", "LoadState,ActiveState,Id", "agent.service", "containerd.service",
                        "worker@*.service"),
                List.of("systemctl", "stop", "agent.service", "worker@1.service"));
        assertThat(s.reload()).isEqualTo(Reload.RELOADED);
        assertThat(s.requestedBy()).containsExactly("containerd");
        assertThat(s.stopped()).as("containerd.service still has a unit file (in /etc, say): untouched")
                .containsExactly("agent.service", "worker@1.service");
        assertThat(s.leftRunning()).isEmpty();
        assertThat(s.error()).isNull();
    }

    @Test
    void withNoStopTheUnitsAreOnlyReported() {
        Recording r = systemctl(SHOW, null);
        ManagerSync s = new ServiceManager(new DefaultSystemctl(r), () -> true).after(node, agentAndContainerdLeft(),
                EngineKind.NATIVE, 0, MergeAction.REFRESH, new MergeOptions(false, false, false, true), null);
        assertThat(r.argvs).extracting(a -> a.get(1)).containsExactly("daemon-reload", "show");
        assertThat(s.stopped()).isEmpty();
        assertThat(s.leftRunning()).containsExactly("agent.service", "worker@1.service");
    }

    @Test
    void aFailedReloadKeepsTheMergeStopsNothingAndNamesTheFix() {
        Recording r = systemctl(SHOW, "daemon-reload");
        ManagerSync s = new ServiceManager(new DefaultSystemctl(r), () -> true).after(node, agentAndContainerdLeft(),
                EngineKind.NATIVE, 0, MergeAction.UNMERGE, MergeOptions.DEFAULT, null);
        assertThat(r.argvs).containsExactly(List.of("systemctl", "daemon-reload"));
        assertThat(s.reload()).isEqualTo(Reload.FAILED);
        assertThat(s.error()).isEqualTo("the merge changed, but the service manager was not reloaded (systemctl: "
                + "Failed to connect to bus: No such file or directory), so it does not know the units the merge "
                + "brought or removed; run 'systemctl daemon-reload'");
    }

    @Test
    void aFailedStopListsTheUnitsAndTheCommandToRun() {
        Recording r = systemctl(SHOW, "stop");
        ManagerSync s = new ServiceManager(new DefaultSystemctl(r), () -> true).after(node, agentAndContainerdLeft(),
                EngineKind.NATIVE, 0, MergeAction.REFRESH, MergeOptions.DEFAULT, null);
        assertThat(s.reload()).isEqualTo(Reload.RELOADED);
        assertThat(s.leftRunning()).containsExactly("agent.service", "worker@1.service");
        assertThat(s.error()).endsWith("; run 'systemctl stop agent.service worker@1.service'");
    }

    @Test
    void whenSystemdSysext257ReloadedItselfOnlyTheUnitsAreStopped() {
        ServiceManager.Before before = new ServiceManager.Before(null, new ManagerSnapshot(List.of("agent"),
                List.of("agent"), Set.of("ssh.service", "docker.service", "agent.service")));
        Recording r = systemctl("Id=agent.service\nLoadState=not-found\nActiveState=active\n", null);
        ManagerSync s = new ServiceManager(new DefaultSystemctl(r), () -> true).after(node, before,
                EngineKind.SYSTEMD, 257, MergeAction.UNMERGE, MergeOptions.DEFAULT, null);
        assertThat(s.reload()).isEqualTo(Reload.BY_SYSTEMD_SYSEXT);
        assertThat(r.argvs).containsExactly(
                List.of("systemctl", "show", "-p", "LoadState,ActiveState,Id", "agent.service"),
                List.of("systemctl", "stop", "agent.service"));
    }

    @Test
    void whenSystemdSysextsOwnReloadFailedThatIsTheError() {
        ServiceManager.Before before = new ServiceManager.Before(null, ManagerSnapshot.EMPTY);
        ServiceManager m = new ServiceManager(new DefaultSystemctl(systemctl("", null)), () -> true);
        // nothing merged in the directory tree: the decision falls back to "not needed", the error stays
        ManagerSync s = m.after(node, before, EngineKind.SYSTEMD, 257, MergeAction.MERGE, MergeOptions.DEFAULT,
                "systemd-sysext merge changed the merge, then failed (exit 1): Failed to get D-Bus connection: No "
                        + "such file or directory; run 'systemctl daemon-reload'");
        assertThat(s.reload()).isEqualTo(Reload.FAILED);
        assertThat(s.error()).endsWith("run 'systemctl daemon-reload'");
    }

    @Test
    void withoutARequestNothingRunsAndUnderRootOrWithoutSystemdNothingIsRead() throws Exception {
        Recording r = systemctl(SHOW, null);
        ServiceManager m = new ServiceManager(new DefaultSystemctl(r), () -> true);
        ServiceManager.Before before = new ServiceManager.Before(null, new ManagerSnapshot(List.of("agent"),
                List.of(), Set.of("agent.service")));
        ManagerSync s = m.after(node, before, EngineKind.NATIVE, 0, MergeAction.REFRESH, MergeOptions.DEFAULT, null);
        assertThat(s.reload()).isEqualTo(Reload.NOT_NEEDED);
        assertThat(r.argvs).as("no reload, so PID 1 still has the old units: nothing to ask").isEmpty();

        ServiceManager.Before underRoot = m.before(node, MergeOptions.DEFAULT);
        assertThat(underRoot).isEqualTo(new ServiceManager.Before("--root: not the running system", null));
        assertThat(m.after(node, underRoot, EngineKind.NATIVE, 0, MergeAction.MERGE, MergeOptions.DEFAULT, null))
                .isEqualTo(ManagerSync.skipped("--root: not the running system"));
        assertThat(r.argvs).isEmpty();
    }
}
