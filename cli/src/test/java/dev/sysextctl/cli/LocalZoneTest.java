package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default zone's ID as the JVM takes it ({@code user.timezone}, {@code TZ}, {@code /etc/localtime}'s link, and
 * Debian's Java 17 {@code /etc/timezone}), told without the JDK's zone database; null wherever only the JVM can tell.
 */
class LocalZoneTest {
    @TempDir
    Path tmp;

    @Test
    void aLinkIntoAZoneinfoDirectoryNamesTheZone() throws Exception {
        assertThat(LocalZone.id(null, null, link("../usr/share/zoneinfo/Etc/UTC"), tmp.resolve("no-timezone")))
                .isEqualTo("Etc/UTC");
        assertThat(LocalZone.id("", "", link("/usr/share/zoneinfo/Europe/Berlin"), null)).isEqualTo("Europe/Berlin");
        assertThat(LocalZone.id(null, null, link("/usr/share/zoneinfo/posix/UTC"), null)).as("posix/ dropped")
                .isEqualTo("UTC");
    }

    @Test
    void thePropertyThenTheVariableComeBeforeTheFiles() throws Exception {
        Path utc = link("/usr/share/zoneinfo/Etc/UTC");
        assertThat(LocalZone.id("Asia/Tokyo", "Europe/Paris", utc, null)).isEqualTo("Asia/Tokyo");
        assertThat(LocalZone.id(null, "Europe/Paris", utc, null)).isEqualTo("Europe/Paris");
        assertThat(LocalZone.id(null, ":UTC", utc, null)).isEqualTo("UTC");
        assertThat(LocalZone.id(null, "posix/Etc/GMT", utc, null)).isEqualTo("Etc/GMT");
    }

    @Test
    void whatOnlyTheJvmCanTellIsLeftToIt() throws Exception {
        Path copy = Files.write(tmp.resolve("copy"), new byte[] {'T', 'Z', 'i', 'f'});
        assertThat(LocalZone.id(null, null, copy, null)).as("a copy of a zone file").isNull();
        assertThat(LocalZone.id(null, null, tmp.resolve("missing"), null)).as("no /etc/localtime").isNull();
        assertThat(LocalZone.id(null, null, link("/etc/zones/UTC"), null)).as("not into a zoneinfo directory")
                .isNull();
        assertThat(LocalZone.id(null, null, link("/usr/share/zoneinfo/Etc/../UTC"), null)).as("collapsed by the JVM")
                .isNull();
        Path utc = link("/usr/share/zoneinfo/Etc/UTC");
        assertThat(LocalZone.id(null, null, utc, Files.writeString(tmp.resolve("timezone"), "Asia/Tokyo\n")))
                .as("Java 17 of Debian would take /etc/timezone, later releases /etc/localtime").isNull();
        assertThat(LocalZone.id(null, null, utc, Files.writeString(tmp.resolve("empty"), ""))).isNull();
        assertThat(LocalZone.id(null, null, utc, Files.writeString(tmp.resolve("same"), "Etc/UTC\n")))
                .as("both name the same zone").isEqualTo("Etc/UTC");
    }

    /** In the zones whose text status writes itself, since() prints what the JVM's formatter prints. */
    @Test
    void sinceWithTheZoneToldHereIsWhatTheJvmPrintsThere() {
        for (String id : MergerCli.UTC_ZONES.keySet()) {
            String name = MergerCli.UTC_ZONES.get(id);
            java.util.TimeZone zone = java.util.TimeZone.getTimeZone(id);
            assertThat(zone.getID()).as("a zone the JVM knows").isEqualTo(id);
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern(
                    "EEE yyyy-MM-dd HH:mm:ss zzz", java.util.Locale.ROOT);
            for (long micros : new long[] {0, 1_765_000_000_123_456L, 4_102_444_799_999_999L}) {
                assertThat(MergerCli.since(micros, name)).as("%s at %d", id, micros).isEqualTo(f.format(
                        java.time.Instant.ofEpochSecond(micros / 1_000_000).atZone(zone.toZoneId())));
            }
        }
    }

    private Path link(String target) throws Exception {
        Path l = tmp.resolve("localtime-" + System.nanoTime());
        return Files.createSymbolicLink(l, Path.of(target));
    }
}
