package dev.sysextctl.merger.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.manager.ManagerSync.Reload;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When PID 1 is reloaded after a change of the merge, and by whom. */
class ReloadPolicyTest {
    static final ManagerSnapshot NONE = ManagerSnapshot.EMPTY;

    static ManagerSnapshot merged(List<String> extensions, List<String> requests) {
        return new ManagerSnapshot(extensions, requests, Set.of());
    }

    @Test
    void nothingIsReloadedUnderRootWithNoReloadOrWithoutSystemdAsPid1() {
        assertThat(ReloadPolicy.skipReason(false, false, true)).isEqualTo("--root: not the running system");
        assertThat(ReloadPolicy.skipReason(true, true, true)).isEqualTo("--no-reload");
        assertThat(ReloadPolicy.skipReason(true, false, false))
                .isEqualTo("systemd is not PID 1 here (no /run/systemd/system)");
        assertThat(ReloadPolicy.skipReason(true, false, true)).isNull();
    }

    @Test
    void onSystemd252SysextctlReloadsWhenTheNewSetAsksForIt() {
        ManagerSync s = ReloadPolicy.decide(EngineKind.SYSTEMD, 252, MergeAction.REFRESH, merged(List.of("agent"), List.of()),
                merged(List.of("agent", "docker"), List.of("docker")));
        assertThat(s.reload()).isEqualTo(Reload.RELOADED);
        assertThat(s.requestedBy()).containsExactly("docker");
        assertThat(s.reason()).isEqualTo("EXTENSION_RELOAD_MANAGER=1 in 'docker'");
    }

    @Test
    void anExtensionThatLeftAlsoCountsWhateverTheEngine() {
        ManagerSnapshot before = merged(List.of("agent", "containerd"), List.of("containerd"));
        ManagerSnapshot after = merged(List.of("agent"), List.of());
        for (EngineKind e : List.of(EngineKind.NATIVE, EngineKind.SYSTEMD)) {
            assertThat(ReloadPolicy.decide(e, 252, MergeAction.REFRESH, before, after).reload()).as(e.jsonName())
                    .isEqualTo(Reload.RELOADED);
        }
        // 257's merge() asks only the set it merged: sysextctl fills the gap, once.
        assertThat(ReloadPolicy.decide(EngineKind.SYSTEMD, 257, MergeAction.REFRESH, before, after).reload())
                .isEqualTo(Reload.RELOADED);
        assertThat(ReloadPolicy.decide(EngineKind.NATIVE, 252, MergeAction.UNMERGE, before, NONE).requestedBy())
                .containsExactly("containerd");
    }

    @Test
    void systemdSysext255AndLaterReloadsItselfAndIsNotFollowedByASecondReload() {
        ManagerSnapshot docker = merged(List.of("docker"), List.of("docker"));
        ManagerSync merge = ReloadPolicy.decide(EngineKind.SYSTEMD, 255, MergeAction.MERGE, NONE, docker);
        assertThat(merge.reload()).isEqualTo(Reload.BY_SYSTEMD_SYSEXT);
        assertThat(merge.reason()).isEqualTo("systemd-sysext 255 reloaded it (EXTENSION_RELOAD_MANAGER=1 in "
                + "'docker')");
        assertThat(ReloadPolicy.decide(EngineKind.SYSTEMD, 257, MergeAction.UNMERGE, docker, NONE).reload())
                .isEqualTo(Reload.BY_SYSTEMD_SYSEXT);
        // a refresh that finds nothing to merge unmerges, and unmerge() asks the set that was merged
        assertThat(ReloadPolicy.decide(EngineKind.SYSTEMD, 257, MergeAction.REFRESH, docker, NONE).reload())
                .isEqualTo(Reload.BY_SYSTEMD_SYSEXT);
        // the native engine never reloads by itself
        assertThat(ReloadPolicy.decide(EngineKind.NATIVE, 257, MergeAction.MERGE, NONE, docker).reload())
                .isEqualTo(Reload.RELOADED);
        assertThat(ReloadPolicy.decide(EngineKind.SYSTEMD, 254, MergeAction.MERGE, NONE, docker).reload())
                .isEqualTo(Reload.RELOADED);
    }

    @Test
    void noRequestBeforeOrAfterMeansNoReload() {
        ManagerSync s = ReloadPolicy.decide(EngineKind.NATIVE, 0, MergeAction.REFRESH, merged(List.of("a"), List.of()),
                merged(List.of("b"), List.of()));
        assertThat(s.reload()).isEqualTo(Reload.NOT_NEEDED);
        assertThat(s.reload().done()).isFalse();
        assertThat(s.requestedBy()).isEmpty();
    }

    @Test
    void systemdSysext255GetsNoReloadOnTheRunningSystemWhenAskedOrWhenSystemdIsNotPid1() {
        assertThat(ReloadPolicy.passNoReload(257, true, true, true)).isTrue();
        assertThat(ReloadPolicy.passNoReload(255, true, false, false)).isTrue();
        assertThat(ReloadPolicy.passNoReload(257, true, false, true)).isFalse();
        assertThat(ReloadPolicy.passNoReload(252, true, true, false)).as("252 does not know --no-reload").isFalse();
        assertThat(ReloadPolicy.passNoReload(257, false, true, false)).as("--root: it never reloads").isFalse();
    }

    @Test
    void theJsonNamesOfTheReloadOutcomes() {
        assertThat(List.of(Reload.values()).stream().map(Reload::jsonName)).containsExactly("reloaded",
                "by-systemd-sysext", "not-needed", "skipped", "failed");
    }
}
