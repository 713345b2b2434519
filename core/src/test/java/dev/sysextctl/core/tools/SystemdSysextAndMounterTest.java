package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.process.RunningProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The exact argv of the systemd-sysext and mount wrappers, and how their output is read. */
class SystemdSysextAndMounterTest {
    /** Records every command and answers with a canned result. */
    static final class Recording implements ProcessRunner {
        final List<Command> commands = new ArrayList<>();
        final Function<Command, ProcessResult> answer;

        Recording(Function<Command, ProcessResult> answer) {
            this.answer = answer;
        }

        @Override
        public ProcessResult run(Command command) {
            commands.add(command);
            return answer.apply(command);
        }

        @Override
        public RunningProcess start(Command command) {
            commands.add(command);
            return null;
        }

        List<List<String>> argvs() {
            return commands.stream().map(Command::argv).toList();
        }
    }

    static ProcessResult ok(Command c, String stdout) {
        return new ProcessResult(c.argv(), 0, stdout, "");
    }

    @Test
    void mergeUnmergeAndRefreshPassTheRootUnlessItIsSlash() throws Exception {
        Recording r = new Recording(c -> ok(c, ""));
        SystemdSysext s = new DefaultSystemdSysext(r, new ToolVersionCache());
        s.merge(Path.of("/srv/root"), false);
        s.merge(Path.of("/"), true);
        s.unmerge(Path.of("/srv/root/"));
        s.refresh(Path.of("/srv/root"), true);
        assertThat(r.argvs()).containsExactly(List.of("systemd-sysext", "--root=/srv/root", "merge"),
                List.of("systemd-sysext", "--force", "merge"), List.of("systemd-sysext", "--root=/srv/root", "unmerge"),
                List.of("systemd-sysext", "--root=/srv/root", "--force", "refresh"));
    }

    @Test
    void noReloadGoesBeforeTheVerbAndForceIsNotPassedToUnmerge() throws Exception {
        Recording r = new Recording(c -> ok(c, ""));
        SystemdSysext s = new DefaultSystemdSysext(r, new ToolVersionCache());
        s.run(MergeAction.REFRESH, Path.of("/"), true, true);
        s.run(MergeAction.UNMERGE, Path.of("/srv/root"), true, true);
        s.run(MergeAction.MERGE, Path.of("/"), false, false);
        assertThat(r.argvs()).containsExactly(List.of("systemd-sysext", "--force", "--no-reload", "refresh"),
                List.of("systemd-sysext", "--root=/srv/root", "--no-reload", "unmerge"),
                List.of("systemd-sysext", "merge"));
    }

    @Test
    void versionIsProbedOnceAndParsed() throws Exception {
        Recording r = new Recording(c -> ok(c, "systemd 252 (252.39-1~deb12u2)\n+PAM +AUDIT\n"));
        ToolVersionCache cache = new ToolVersionCache();
        SystemdSysext s = new DefaultSystemdSysext(r, cache);
        assertThat(s.version()).isEqualTo(new SystemdSysext.Version(252, "252.39-1~deb12u2"));
        assertThat(s.version().major()).isEqualTo(252);
        assertThat(r.argvs()).containsExactly(List.of("systemd-sysext", "--version"));
        assertThatThrownBy(() -> new DefaultSystemdSysext(new Recording(c -> new ProcessResult(c.argv(), 1, "",
                "nope")), new ToolVersionCache()).version()).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("systemd-sysext");
    }

    @Test
    void listAndStatusJsonAreParsed() throws Exception {
        Recording r = new Recording(c -> c.argv().contains("list")
                ? ok(c, "[{\"name\":\"foo\",\"type\":\"raw\",\"path\":\"/r/etc/extensions/foo.raw\",\"time\":17},"
                        + "{\"name\":\"blk\",\"type\":\"block\",\"path\":\"/r/etc/extensions/blk\",\"time\":0}]\n")
                : ok(c, "[{\"hierarchy\":\"/opt\",\"extensions\":\"none\",\"since\":null},{\"hierarchy\":\"/usr\","
                        + "\"extensions\":[\"a\",\"b\"],\"since\":1795432020801962}]\n"));
        SystemdSysext s = new DefaultSystemdSysext(r, new ToolVersionCache());
        assertThat(s.list(Path.of("/r"))).containsExactly(
                new SystemdSysext.ListedImage("foo", "raw", "/r/etc/extensions/foo.raw", 17),
                new SystemdSysext.ListedImage("blk", "block", "/r/etc/extensions/blk", 0));
        assertThat(s.status(Path.of("/"))).containsExactly(new SystemdSysext.HierarchyState("/opt", List.of(), null),
                new SystemdSysext.HierarchyState("/usr", List.of("a", "b"), 1795432020801962L));
        assertThat(r.argvs()).containsExactly(List.of("systemd-sysext", "--root=/r", "--json=short", "list"),
                List.of("systemd-sysext", "--json=short", "status"));
    }

    @Test
    void statusFailureUnderRootCarriesSystemdsMessage() {
        Recording r = new Recording(c -> new ProcessResult(c.argv(), 1, "",
                "Failed to open '/usr/.systemd-sysext/extensions': No such file or directory\n"));
        assertThatThrownBy(() -> new DefaultSystemdSysext(r, new ToolVersionCache()).status(Path.of("/r")))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("Failed to open '/usr/.systemd-sysext/extensions'");
    }

    @Test
    void mounterArgv() throws Exception {
        Recording r = new Recording(c -> ok(c, ""));
        Mounter m = new DefaultMounter(r);
        m.unmountDetached(Path.of("/r/usr"));
        m.namespaceShell(Mounter.Propagation.UNCHANGED);
        m.namespaceShell(Mounter.Propagation.SLAVE);
        assertThat(r.argvs()).containsExactly(List.of("umount", "--lazy", "/r/usr"),
                List.of("unshare", "--mount", "--propagation", "unchanged", "/bin/sh", "-s"),
                List.of("unshare", "--mount", "--propagation", "slave", "/bin/sh", "-s"));
        assertThat(r.commands.get(1).environment()).containsEntry("LC_ALL", "C");
        Recording failing = new Recording(c -> new ProcessResult(c.argv(), 32, "", "umount: /x: not mounted.\n"));
        assertThatThrownBy(() -> new DefaultMounter(failing).unmountDetached(Path.of("/x")))
                .hasMessageContaining("umount failed (exit 32): umount: /x: not mounted.");
    }
}
