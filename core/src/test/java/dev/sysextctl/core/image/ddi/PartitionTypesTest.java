package dev.sysextctl.core.image.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.image.ddi.PartitionTypes.Role;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The type table: systemd's names, every role distinct, lookups both ways. */
class PartitionTypesTest {
    @Test
    void x86And64BitArmHaveTheSpecificationsTypes() {
        assertThat(PartitionTypes.of("x86-64", Role.ROOT)).contains(UUID.fromString("4f68bce3-e8cd-4db1-96e7-fbcaf984b709"));
        assertThat(PartitionTypes.of("x86-64", Role.ROOT_VERITY))
                .contains(UUID.fromString("2c7357ed-ebd2-46d9-aec1-23d437ec2bf5"));
        assertThat(PartitionTypes.of("x86-64", Role.ROOT_VERITY_SIG))
                .contains(UUID.fromString("41092b05-9fc8-4523-994f-2def0408b176"));
        assertThat(PartitionTypes.of("arm64", Role.ROOT)).contains(UUID.fromString("b921b045-1df0-41c3-af44-4c6f280d3fae"));
        assertThat(PartitionTypes.of("sparc", Role.ROOT)).isEmpty();
    }

    @Test
    void everyArchitectureIsASystemdNameWithSixDistinctTypesThatMapBack() {
        Set<UUID> all = new HashSet<>();
        assertThat(PartitionTypes.architectures()).hasSize(21).allSatisfy(a -> {
            assertThat(Architecture.isSystemdName(a)).as(a).isTrue();
            for (Role r : Role.values()) {
                UUID u = PartitionTypes.of(a, r).orElseThrow();
                assertThat(all.add(u)).as(a + " " + r).isTrue();
                assertThat(PartitionTypes.kind(u)).contains(new PartitionTypes.Kind(a, r));
            }
        });
        assertThat(new PartitionTypes.Kind("x86-64", Role.ROOT_VERITY_SIG).typeName())
                .isEqualTo("root-x86-64-verity-sig");
    }
}
