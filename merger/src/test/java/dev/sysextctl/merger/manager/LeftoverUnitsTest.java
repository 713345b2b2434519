package dev.sysextctl.merger.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.Systemctl.UnitState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which units are stopped after their image left the merge. */
class LeftoverUnitsTest {
    static ManagerSnapshot units(String... names) {
        return new ManagerSnapshot(List.of(), List.of(), Set.of(names));
    }

    @Test
    void theCandidatesAreTheUnitFilesThatLeftSortedWithTemplatesAsTheGlobOfTheirInstances() {
        ManagerSnapshot before = units("ssh.service", "containerd.service", "agent.service", "docker.socket",
                "docker.service", "worker@.service");
        ManagerSnapshot after = units("ssh.service", "docker.socket", "docker.service");
        assertThat(LeftoverUnits.candidates(before, after)).containsExactly("agent.service", "containerd.service",
                "worker@*.service");
        assertThat(LeftoverUnits.candidates(after, before)).as("units that arrive are never candidates").isEmpty();
    }

    @Test
    void onlyUnitsWithoutAUnitFileThatStillRunAreStoppedSortedAndOnce() {
        assertThat(LeftoverUnits.toStop(List.of(
                new UnitState("worker@1.service", "not-found", "active"),
                new UnitState("agent.service", "not-found", "active"),
                new UnitState("containerd.service", "not-found", "inactive"),
                new UnitState("docker.service", "loaded", "active"),
                new UnitState("old.service", "masked", "active"),
                new UnitState("crashed.service", "not-found", "failed"),
                new UnitState("worker@1.service", "not-found", "activating"),
                new UnitState("agent.service", "not-found", "active"))))
                .containsExactly("agent.service", "worker@1.service");
    }

    @Test
    void unitNamesAndTemplates() {
        assertThat(UnitNames.isUnitName("docker.service")).isTrue();
        assertThat(UnitNames.isUnitName("dev-disk-by\\x2duuid-1.device")).isTrue();
        assertThat(UnitNames.isUnitName("getty@.service")).isTrue();
        assertThat(UnitNames.isUnitName("getty@tty1.service")).isTrue();
        assertThat(UnitNames.isUnitName("multi-user.target.wants")).isFalse();
        assertThat(UnitNames.isUnitName("docker.service.d")).isFalse();
        assertThat(UnitNames.isUnitName("README")).isFalse();
        assertThat(UnitNames.isTemplate("getty@.service")).isTrue();
        assertThat(UnitNames.isTemplate("getty@tty1.service")).isFalse();
        assertThat(UnitNames.instancePattern("getty@.service")).isEqualTo("getty@*.service");
    }
}
