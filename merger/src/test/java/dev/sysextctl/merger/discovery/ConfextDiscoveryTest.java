package dev.sysextctl.merger.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery of confexts: their search directories, names and hierarchies (docs/compatibility.md §1.5, §4.10). */
class ConfextDiscoveryTest {
    @TempDir
    Path root;

    @BeforeEach
    void osRelease() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=13\n");
    }

    private void file(String path) throws Exception {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
    }

    private Node node(int version, Map<String, String> env) throws Exception {
        return Node.open(root, new SystemdVersion(version), env).forClass(ExtensionClass.CONFEXT, env);
    }

    private Discovery discover(int version) throws Exception {
        return ImageDiscovery.discover(node(version, Map.of()), SymlinkPolicy.FOLLOW_INSIDE_ROOT);
    }

    @Test
    void confextsAreFoundInTheirFourDirectoriesInPriorityOrderAndNotInEtcConfexts() throws Exception {
        for (String d : List.of("/usr/lib/confexts", "/usr/local/lib/confexts", "/var/lib/confexts",
                "/run/confexts", "/etc/confexts", "/etc/extensions", "/var/lib/extensions")) {
            file(d + "/dup.raw");
        }
        Discovery d = discover(257);
        assertThat(d.searchDirs()).containsExactly("/run/confexts", "/var/lib/confexts", "/usr/local/lib/confexts",
                "/usr/lib/confexts");
        assertThat(d.named("dup")).extracting(ImageEntry::searchDir).containsExactly("/run/confexts",
                "/var/lib/confexts", "/usr/local/lib/confexts", "/usr/lib/confexts");
        assertThat(d.winner("dup").orElseThrow().path()).isEqualTo("/run/confexts/dup.raw");
    }

    @Test
    void sysextDiscoveryDoesNotSeeConfexts() throws Exception {
        file("/var/lib/confexts/c.raw");
        file("/var/lib/extensions/s.raw");
        Discovery d = ImageDiscovery.discover(Node.open(root, new SystemdVersion(257), Map.of()),
                SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        assertThat(d.winners().keySet()).containsExactly("s");
    }

    @Test
    void theConfextSuffixIsStrippedFrom255AndTheSysextSuffixIsNot() throws Exception {
        file("/var/lib/confexts/w.confext.raw");
        file("/var/lib/confexts/v.sysext.raw");
        assertThat(discover(257).winners().keySet()).containsExactlyInAnyOrder("w", "v.sysext");
        assertThat(discover(254).winners().keySet()).containsExactlyInAnyOrder("w.confext", "v.sysext");
    }

    @Test
    void from257TheConfextSuffixIsStrippedFromADirectoryAndTheSysextSuffixIsNot() throws Exception {
        // measured with systemd-confext 257.13 list: c1.confext/ is c1, c2.sysext/ stays c2.sysext
        Files.createDirectories(root.resolve("var/lib/confexts/c1.confext/etc"));
        Files.createDirectories(root.resolve("var/lib/confexts/c2.sysext/etc"));
        assertThat(discover(257).winners().keySet()).containsExactlyInAnyOrder("c1", "c2.sysext");
        assertThat(discover(256).winners().keySet()).containsExactlyInAnyOrder("c1.confext", "c2.sysext");
    }

    @Test
    void confextsMergeIntoEtcOrTheirOwnHierarchiesVariable() throws Exception {
        assertThat(node(257, Map.of()).hierarchies()).containsExactly("/etc");
        assertThat(node(257, Map.of("SYSTEMD_SYSEXT_HIERARCHIES", "/usr")).hierarchies()).containsExactly("/etc");
        assertThat(node(257, Map.of("SYSTEMD_CONFEXT_HIERARCHIES", "/etc:/srv")).hierarchies())
                .containsExactly("/etc", "/srv");
        assertThatThrownBy(() -> node(257, Map.of("SYSTEMD_CONFEXT_HIERARCHIES", "etc")))
                .isInstanceOf(UsageException.class).hasMessageContaining("$SYSTEMD_CONFEXT_HIERARCHIES")
                .hasMessageContaining("e.g. /etc");
    }

    @Test
    void withTheTreesSystemdUnknownConfextsGet257sRulesAndSysexts252sEachWayRound() throws Exception {
        Node sysexts = Node.open(root, null, Map.of());
        assertThat(sysexts.versionKnown()).isFalse();
        assertThat(sysexts.systemdVersion()).isEqualTo(SystemdVersion.V252);
        assertThat(sysexts.assumedVersionNote()).isEmpty();
        Node confexts = sysexts.forClass(ExtensionClass.CONFEXT, Map.of());
        assertThat(confexts.systemdVersion()).isEqualTo(SystemdVersion.CONFEXT_DEFAULT);
        assertThat(confexts.hierarchies()).containsExactly("/etc");
        assertThat(confexts.assumedVersionNote()).contains("the systemd of " + root.toRealPath() + " is not known "
                + "(no systemd found in the tree): confexts are handled by systemd 257's rules, sysexts by 252's; "
                + "--systemd-version N names it");
        Node back = confexts.forClass(ExtensionClass.SYSEXT, Map.of());
        assertThat(back.systemdVersion()).isEqualTo(SystemdVersion.V252);
        assertThat(back.hierarchies()).containsExactly("/usr", "/opt");
        // 257's confext names: NAME.confext.raw is NAME (255+)
        file("/var/lib/confexts/w.confext.raw");
        assertThat(ImageDiscovery.discover(confexts, SymlinkPolicy.FOLLOW_INSIDE_ROOT).images())
                .extracting(ImageEntry::name).containsExactly("w");
        // a given or detected version is used for both classes
        assertThat(Node.open(root, new SystemdVersion(256), Map.of()).forClass(ExtensionClass.CONFEXT, Map.of())
                .systemdVersion().major()).isEqualTo(256);
        file("/usr/lib/systemd/libsystemd-shared-255.so");
        Node detected = Node.open(root, null, Map.of()).forClass(ExtensionClass.CONFEXT, Map.of());
        assertThat(detected.systemdVersion().major()).isEqualTo(255);
        assertThat(detected.assumedVersionNote()).isEmpty();
    }

    @Test
    void confextsWithASystemdOlderThan254AreAUsageErrorThatSaysSo() {
        assertThatThrownBy(() -> node(252, Map.of())).isInstanceOf(UsageException.class)
                .hasMessage("confexts need systemd 254 or later, and the rules in force are systemd 252 "
                        + "(--systemd-version); give --systemd-version 254 or later, or --class sysext");
    }
}
