package dev.sysextctl.merger.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDiscoveryTest {
    @TempDir
    Path root;

    @BeforeEach
    void osRelease() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
    }

    private Path file(String path) throws Exception {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, "x");
        return p;
    }

    private Path dir(String path) throws Exception {
        return Files.createDirectories(root.resolve(path.substring(1)));
    }

    private Path link(String path, String target) throws Exception {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        return Files.createSymbolicLink(p, Path.of(target));
    }

    private Discovery discover(int version, SymlinkPolicy policy) throws Exception {
        return ImageDiscovery.discover(Node.open(root, new SystemdVersion(version), Map.of()), policy);
    }

    private Discovery discover() throws Exception {
        return discover(252, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
    }

    @Test
    void searchDirectoriesInPriorityOrderFirstFoundWins() throws Exception {
        for (String d : List.of("/usr/lib/extensions", "/usr/local/lib/extensions", "/var/lib/extensions",
                "/run/extensions", "/etc/extensions")) {
            file(d + "/dup.raw");
        }
        Discovery d = discover();
        assertThat(d.named("dup")).extracting(ImageEntry::searchDir).containsExactly("/etc/extensions",
                "/run/extensions", "/var/lib/extensions", "/usr/local/lib/extensions", "/usr/lib/extensions");
        assertThat(d.winner("dup").orElseThrow().path()).isEqualTo("/etc/extensions/dup.raw");
    }

    @Test
    void systemd254AndLaterSearchOnlyThreeDirectories() throws Exception {
        file("/usr/lib/extensions/old.raw");
        file("/var/lib/extensions/new.raw");
        assertThat(discover(257, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winners()).containsOnlyKeys("new");
        assertThat(discover(252, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winners()).containsOnlyKeys("new", "old");
    }

    @Test
    void namesAndTypesFollowSystemdsRules() throws Exception {
        for (String f : List.of("v.img", ".raw", ".#tmp.raw", "v.RAW", "v.raw.bak", "w.sysext.raw", "ok.raw")) {
            file("/etc/extensions/" + f);
        }
        dir("/etc/extensions/d.raw");
        dir("/etc/extensions/.hidden");
        dir("/etc/extensions/sp ace");
        Discovery d = discover();
        assertThat(d.winners()).containsOnlyKeys("ok", "w.sysext", "d.raw", ".hidden", "sp ace");
        assertThat(d.winner("d.raw").orElseThrow().type()).isEqualTo(ImageType.DIRECTORY);
        assertThat(d.winner("ok").orElseThrow().type()).isEqualTo(ImageType.RAW);
        assertThat(d.ignored()).extracting(IgnoredEntry::path).containsExactlyInAnyOrder("/etc/extensions/v.img",
                "/etc/extensions/.raw", "/etc/extensions/.#tmp.raw", "/etc/extensions/v.RAW",
                "/etc/extensions/v.raw.bak");
        assertThat(d.ignored()).filteredOn(e -> e.path().endsWith("/v.img")).first()
                .extracting(IgnoredEntry::reason).asString().contains("not named *.raw");
    }

    @Test
    void systemd255StripsTheSysextSuffix() throws Exception {
        file("/etc/extensions/s.sysext.raw");
        assertThat(discover(255, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winners()).containsOnlyKeys("s");
        assertThat(discover(252, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winners()).containsOnlyKeys("s.sysext");
    }

    @Test
    void systemd257StripsTheSysextSuffixFromADirectoryAndKeepsTheConfextOne() throws Exception {
        // measured with systemd-sysext 257.13 list: d1.sysext/ is d1, d2.confext/ stays d2.confext
        dir("/var/lib/extensions/d1.sysext");
        dir("/var/lib/extensions/d2.confext");
        dir("/var/lib/extensions/.sysext");
        assertThat(discover(257, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winners()).containsOnlyKeys("d1", "d2.confext");
        assertThat(discover(252, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winners()).containsOnlyKeys("d1.sysext",
                "d2.confext", ".sysext");
    }

    @Test
    void linksAreChasedInsideTheRootAndNamedAfterTheEntry() throws Exception {
        Path store = file("/srv/store/real-1.2.raw");
        link("/etc/extensions/link1.raw", "/srv/store/real-1.2.raw");
        link("/etc/extensions/rel.raw", "../../srv/store/real-1.2.raw");
        link("/etc/extensions/escape.raw", "../../../../../../../srv/store/real-1.2.raw");
        dir("/srv/store/dirext");
        link("/etc/extensions/ldir", "/srv/store/dirext");
        Discovery d = discover();
        assertThat(d.winners()).containsOnlyKeys("link1", "rel", "escape", "ldir");
        assertThat(d.winner("link1").orElseThrow().source()).isEqualTo(store.toRealPath());
        assertThat(d.winner("escape").orElseThrow().source()).isEqualTo(store.toRealPath());
        assertThat(d.winner("link1").orElseThrow().linkTarget()).isEqualTo("/srv/store/real-1.2.raw");
        assertThat(d.winner("ldir").orElseThrow().type()).isEqualTo(ImageType.DIRECTORY);
    }

    @Test
    void devNullAndDanglingLinksAreNotImagesAndSayWhy() throws Exception {
        link("/etc/extensions/m.raw", "/dev/null");
        link("/etc/extensions/gone.raw", "/srv/missing.raw");
        file("/var/lib/extensions/m.raw");
        Discovery d = discover();
        assertThat(d.winner("m").orElseThrow().path()).isEqualTo("/var/lib/extensions/m.raw");
        assertThat(d.ignoredNamed("m")).singleElement().extracting(IgnoredEntry::reason).asString()
                .contains("does not mask");
        assertThat(d.ignoredNamed("gone")).singleElement().extracting(IgnoredEntry::reason).asString()
                .contains("dangling");
    }

    @Test
    void systemd252UnderRootSkipsSymlinks() throws Exception {
        file("/srv/x.raw");
        link("/etc/extensions/x.raw", "/srv/x.raw");
        Discovery d = discover(252, SymlinkPolicy.SKIP);
        assertThat(d.winners()).isEmpty();
        assertThat(d.ignored()).singleElement().extracting(IgnoredEntry::reason).asString().startsWith("a symlink");
    }

    @Test
    void searchDirectoryThatIsASymlinkIsResolvedInsideTheRoot() throws Exception {
        file("/var/ext-store/a.raw");
        link("/etc/extensions", "/var/ext-store");
        assertThat(discover().winners()).containsOnlyKeys("a");
    }

    @Test
    void charDevicesAndFifosAreNotImages() throws Exception {
        dir("/etc/extensions");
        assertThat(new ProcessBuilder("mkfifo", root.resolve("etc/extensions/fifo.raw").toString()).start()
                .waitFor()).isZero();
        Discovery d = discover();
        assertThat(d.winners()).isEmpty();
        assertThat(d.ignored()).singleElement().extracting(IgnoredEntry::reason).asString().contains("FIFO");
    }
}
