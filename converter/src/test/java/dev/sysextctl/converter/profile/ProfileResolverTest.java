package dev.sysextctl.converter.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.error.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** F2 (docs/torcx.md §7): profile and store resolution on a rooted tree. */
class ProfileResolverTest {
    @TempDir
    Path root;

    private ProfileResolution f2() throws Exception {
        TorcxFixtures.f2(root, null);
        return ProfileResolver.resolve(ProfileRequest.of(root));
    }

    @Test
    void f2ResolvesDocker1903FromTheSquashfsAndAddon() throws Exception {
        ProfileResolution r = f2();
        assertThat(r.lowerProfiles()).containsExactly("docker-1.12-no");
        assertThat(r.upperProfile()).isEqualTo("custom");
        assertThat(r.merged().stream().map(ProfileImage::display)).containsExactly("docker:19.03",
                "addon_01:com.coreos.cl");
        ResolvedImage docker = r.images().get(0);
        assertThat(docker.archive().nodePath()).isEqualTo("/var/lib/torcx/store/docker:19.03.torcx.squashfs");
        assertThat(docker.archive().format()).isEqualTo(TorcxArchiveFormat.SQUASHFS);
        assertThat(docker.archive().file()).isEqualTo(root.resolve("var/lib/torcx/store/docker:19.03.torcx.squashfs"));
        ResolvedImage addon = r.images().get(1);
        assertThat(addon.archive().nodePath()).isEqualTo("/var/lib/torcx/store/addon_01.torcx.tgz");
        assertThat(r.seal()).containsEntry("TORCX_LOWER_PROFILES", "docker-1.12-no")
                .containsEntry("TORCX_UPPER_PROFILE", "custom")
                .containsEntry("TORCX_BINDIR", "/run/torcx/bin")
                .containsEntry("TORCX_UNPACKDIR", "/run/torcx/unpack");
        assertThat(r.upperSource()).isEqualTo("/etc/torcx/next-profile");
        assertThat(r.versionId()).isEqualTo("3760.2.0");
    }

    @Test
    void storeSearchOrderHasVersionedStoresFirst() throws Exception {
        ProfileResolution r = f2();
        assertThat(r.storePaths()).containsExactly("/usr/share/torcx/store",
                "/usr/share/oem/torcx/store/3760.2.0", "/usr/share/oem/torcx/store",
                "/var/lib/torcx/store/3760.2.0", "/var/lib/torcx/store");
    }

    @Test
    void versionedTgzWinsAmongTgzButSquashfsBeatsBoth() throws Exception {
        TorcxFixtures.f2(root, null);
        Files.delete(root.resolve("var/lib/torcx/store/docker:19.03.torcx.squashfs"));
        ProfileResolution r = ProfileResolver.resolve(ProfileRequest.of(root));
        assertThat(r.images().get(0).archive().nodePath())
                .isEqualTo("/var/lib/torcx/store/3760.2.0/docker:19.03.torcx.tgz");
        assertThat(r.storeNotes()).anyMatch(n -> n.contains("/var/lib/torcx/store/docker:19.03.torcx.tgz duplicates"));
    }

    @Test
    void edgeNamesInTheStore() throws Exception {
        TorcxFixtures.f2(root, null);
        TorcxStore store = TorcxStore.scan(root, List.of(new TorcxStore.Location("/var/lib/torcx/store",
                root.resolve("var/lib/torcx/store"), true)));
        Map<String, String> found = new java.util.TreeMap<>();
        store.archives().forEach(a -> found.put(a.name() + ":" + a.reference(), a.nodePath()));
        assertThat(found).containsOnlyKeys("addon_01:com.coreos.cl", "ab:c", "docker:19.03");
        assertThat(store.notes()).anyMatch(n -> n.contains("x:1.torcx.tgz is a symlink"))
                .anyMatch(n -> n.contains("dir:1.torcx.tgz is not a regular file"));
    }

    @Test
    void vendorSymlinkToTheRealArchiveResolvesInsideTheRoot() throws Exception {
        TorcxFixtures.f2(root, null);
        Files.delete(root.resolve("etc/torcx/next-profile"));
        ProfileResolution r = ProfileResolver.resolve(ProfileRequest.of(root));
        assertThat(r.upperProfile()).isNull();
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("no next profile"));
        assertThat(r.images()).hasSize(1);
        StoreArchive a = r.images().get(0).archive();
        assertThat(a.nodePath()).isEqualTo("/usr/share/torcx/store/docker:com.coreos.cl.torcx.tgz");
        assertThat(a.file()).isEqualTo(root.resolve("usr/share/torcx/store/docker:20.10.torcx.tgz"));
    }

    @Test
    void absoluteSymlinkInAStoreStaysInsideTheRoot() throws Exception {
        TorcxFixtures.f2(root, null);
        Path link = root.resolve("var/lib/torcx/store/escape:1.torcx.tgz");
        Files.createSymbolicLink(link, Path.of("/usr/share/torcx/store/docker:20.10.torcx.tgz"));
        TorcxStore store = TorcxStore.scan(root, List.of(new TorcxStore.Location("/var/lib/torcx/store",
                root.resolve("var/lib/torcx/store"), true)));
        assertThat(store.find("escape", "1").orElseThrow().file())
                .isEqualTo(root.resolve("usr/share/torcx/store/docker:20.10.torcx.tgz"));
    }

    @Test
    void nextProfileNamingNoProfileIsIgnoredWithAWarning() throws Exception {
        TorcxFixtures.f2(root, null);
        TorcxFixtures.write(root.resolve("etc/torcx/next-profile"), "nosuch\n");
        ProfileResolution r = ProfileResolver.resolve(ProfileRequest.of(root));
        assertThat(r.upperProfile()).isNull();
        assertThat(r.warnings()).anyMatch(w -> w.contains("\"nosuch\"") && w.contains("not found"));
        assertThat(r.merged().stream().map(ProfileImage::display)).containsExactly("docker:com.coreos.cl");
    }

    @Test
    void dockerFlagYesWithoutItsProfileKeepsVendor() throws Exception {
        TorcxFixtures.f2(root, null);
        TorcxFixtures.write(root.resolve("etc/flatcar/docker-1.12"), "yes\n");
        ProfileResolution r = ProfileResolver.resolve(ProfileRequest.of(root));
        assertThat(r.lowerProfiles()).containsExactly("vendor");
        assertThat(r.warnings()).anyMatch(w -> w.contains("docker-1.12-yes"));
    }

    @Test
    void oemProfileIsALowerAfterVendorAndUserProfilesOverrideVendorOnes() throws Exception {
        TorcxFixtures.f2(root, null);
        Files.delete(root.resolve("etc/flatcar/docker-1.12"));
        TorcxFixtures.write(root.resolve("usr/share/oem/torcx/profiles/oem.json"),
                TorcxFixtures.profile("profile-manifest-v0", "oemtool:1"));
        TorcxFixtures.write(root.resolve("etc/torcx/profiles/vendor.json"),
                TorcxFixtures.profile("profile-manifest-v0", "docker:user"));
        ProfileResolution r = ProfileResolver.resolve(ProfileRequest.of(root));
        assertThat(r.lowerProfiles()).containsExactly("vendor", "oem");
        assertThat(r.profiles().get(0).path()).isEqualTo("/etc/torcx/profiles/vendor.json");
        assertThat(r.merged().stream().map(ProfileImage::display)).containsExactly("oemtool:1", "docker:19.03",
                "addon_01:com.coreos.cl");
        assertThat(r.images().get(0).resolved()).isFalse();
        assertThat(r.images().get(0).problem()).contains("oemtool:1");
    }

    @Test
    void profileOptionTakesANameOrAFile() throws Exception {
        TorcxFixtures.f2(root, null);
        ProfileResolution byName = ProfileResolver.resolve(new ProfileRequest(root, "vendor", List.of()));
        assertThat(byName.upperProfile()).isEqualTo("vendor");
        assertThat(byName.upperSource()).isEqualTo("--profile");
        Path file = root.resolve("../other.json").normalize();
        Files.writeString(file, TorcxFixtures.profile("profile-manifest-v0", "addon_01:com.coreos.cl"));
        try {
            ProfileResolution byFile = ProfileResolver.resolve(new ProfileRequest(root, file.toString(), List.of()));
            assertThat(byFile.upperProfile()).isEqualTo("other");
            assertThat(byFile.merged().stream().map(ProfileImage::display)).containsExactly("docker:com.coreos.cl",
                    "addon_01:com.coreos.cl");
        } finally {
            Files.delete(file);
        }
        assertThatThrownBy(() -> ProfileResolver.resolve(new ProfileRequest(root, "nosuch", List.of())))
                .isInstanceOf(UsageException.class).hasMessageContaining("nosuch");
    }

    @Test
    void extraStoresAreSearchedLast() throws Exception {
        TorcxFixtures.f2(root, null);
        Path extra = Files.createDirectories(root.resolveSibling(root.getFileName() + "-extra"));
        try {
            TorcxFixtures.addon(extra.resolve("addon_01.torcx.tgz"));
            TorcxFixtures.addon(extra.resolve("late:1.torcx.tgz"));
            ProfileResolution r = ProfileResolver.resolve(new ProfileRequest(root, null, List.of(extra)));
            assertThat(r.storePaths()).last().isEqualTo(extra.toString());
            assertThat(r.images().get(1).archive().nodePath()).isEqualTo("/var/lib/torcx/store/addon_01.torcx.tgz");
        } finally {
            try (var s = Files.walk(extra)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void configFileAddsStorePathsAndMovesConfDir() throws Exception {
        TorcxFixtures.f2(root, null);
        TorcxFixtures.write(root.resolve("etc/torcx/config.json"), "{\"kind\":\"torcx-config-v0\",\"value\":"
                + "{\"conf_dir\":\"/etc/mytorcx\",\"store_paths\":[\"/srv/torcx\"]}}");
        TorcxFixtures.write(root.resolve("etc/mytorcx/profiles/mine.json"),
                TorcxFixtures.profile("profile-manifest-v0", "srvimg:2"));
        TorcxFixtures.write(root.resolve("etc/mytorcx/next-profile"), "mine");
        TorcxFixtures.addon(root.resolve("srv/torcx/srvimg:2.torcx.tgz"));
        ProfileResolution r = ProfileResolver.resolve(ProfileRequest.of(root));
        assertThat(r.storePaths()).containsSubsequence("/usr/share/oem/torcx/store", "/srv/torcx",
                "/var/lib/torcx/store/3760.2.0");
        assertThat(r.upperProfile()).isEqualTo("mine");
        // the docker-1.12 flag is read from dirname(conf_dir)/flatcar/, still /etc/flatcar/docker-1.12
        assertThat(r.lowerProfiles()).containsExactly("docker-1.12-no");
        assertThat(r.images()).extracting(i -> i.image().display()).containsExactly("docker:com.coreos.cl",
                "srvimg:2");
        assertThat(r.images().get(1).archive().nodePath()).isEqualTo("/srv/torcx/srvimg:2.torcx.tgz");
    }
}
