package dev.sysextctl.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.tools.Systemctl.UnitState;
import dev.sysextctl.core.tools.SystemdSysextAndMounterTest.Recording;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact argv of the systemctl wrapper and how {@code systemctl show} is read. */
class SystemctlTest {
    @Test
    void daemonReloadShowAndStopRunTheseArgvs() throws Exception {
        Recording r = new Recording(c -> SystemdSysextAndMounterTest.ok(c, c.argv().get(1).equals("show")
                ? "Id=a.service\nLoadState=not-found\nActiveState=active\n\nId=b.socket\nLoadState=loaded\n"
                        + "ActiveState=active\n" : ""));
        Systemctl s = new DefaultSystemctl(r);
        s.daemonReload();
        List<UnitState> states = s.show(List.of("a.service", "b.socket"));
        s.stop(List.of("a.service", "c.service"));
        assertThat(r.argvs()).containsExactly(List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "show", "-p", "LoadState,ActiveState,Id", "a.service", "b.socket"),
                List.of("systemctl", "stop", "a.service", "c.service"));
        assertThat(states).containsExactly(new UnitState("a.service", "not-found", "active"),
                new UnitState("b.socket", "loaded", "active"));
        assertThat(r.commands).allSatisfy(c -> assertThat(c.timeout()).isEqualTo(DefaultSystemctl.TIMEOUT));
    }

    @Test
    void emptyUnitListsRunNothing() throws Exception {
        Recording r = new Recording(c -> SystemdSysextAndMounterTest.ok(c, ""));
        Systemctl s = new DefaultSystemctl(r);
        assertThat(s.show(List.of())).isEmpty();
        s.stop(List.of());
        assertThat(r.commands).isEmpty();
    }

    @Test
    void showBlocksAreReadWhateverThePropertyOrderAndWithoutATrailingBlankLine() {
        assertThat(DefaultSystemctl.parseShow("LoadState=loaded\nActiveState=inactive\nId=x.service\n\n"
                + "ActiveState=deactivating\nId=y@1.service\nLoadState=not-found"))
                .containsExactly(new UnitState("x.service", "loaded", "inactive"),
                        new UnitState("y@1.service", "not-found", "deactivating"));
        assertThat(DefaultSystemctl.parseShow("")).isEmpty();
    }

    @Test
    void aUnitRunsUnlessInactiveOrFailedAndIsNotFoundOnlyWhenPid1SaysSo() {
        assertThat(new UnitState("a", "not-found", "active").running()).isTrue();
        assertThat(new UnitState("a", "not-found", "activating").running()).isTrue();
        assertThat(new UnitState("a", "not-found", "reloading").running()).isTrue();
        assertThat(new UnitState("a", "not-found", "inactive").running()).isFalse();
        assertThat(new UnitState("a", "not-found", "failed").running()).isFalse();
        assertThat(new UnitState("a", "not-found", "active").notFound()).isTrue();
        assertThat(new UnitState("a", "loaded", "active").notFound()).isFalse();
        assertThat(new UnitState("a", "masked", "active").notFound()).isFalse();
    }

    @Test
    void aFailedReloadSaysWhatSystemctlSaidAndWhatToRun() {
        Recording r = new Recording(c -> new ProcessResult(c.argv(), 1, "",
                "Failed to connect to bus: No such file or directory\n"));
        assertThatThrownBy(() -> new DefaultSystemctl(r).daemonReload()).isInstanceOf(OperationFailedException.class)
                .hasMessage("systemctl failed (exit 1): Failed to connect to bus: No such file or directory; run "
                        + "'systemctl daemon-reload'");
        assertThatThrownBy(() -> new DefaultSystemctl(r).stop(List.of("a.service", "b.service")))
                .hasMessageEndingWith("; run 'systemctl stop a.service b.service'");
    }
}
