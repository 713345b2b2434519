package dev.sysextctl.converter.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.fixtures.TestImageWriters;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.converter.profile.ProfileRequest;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole profile migration with the tar stand-in writer (the squashfs path is in the ITs). */
class ProfileMigrationTest {
    @TempDir
    Path tmp;

    private Path f2WithoutSquashfs() throws Exception {
        Path root = TorcxFixtures.f2(tmp.resolve("root"), null);
        Files.delete(root.resolve("var/lib/torcx/store/docker:19.03.torcx.squashfs"));
        return root;
    }

    private MigrationResult run(Path root, boolean enable) throws Exception {
        return ProfileMigration.run(new MigrationRequest(ProfileRequest.of(root), tmp.resolve("out"),
                TorcxConversionOptions.defaults().withWorkDir(tmp.resolve("work")), enable), TestImageWriters.tar(),
                NativeTools.system().unsquashfs());
    }

    @Test
    void writesOneImagePerEntryAndTheReports() throws Exception {
        Path root = f2WithoutSquashfs();
        MigrationResult r = run(root, false);
        assertThat(r.exitCode()).isZero();
        assertThat(r.report().complete()).isTrue();
        assertThat(tmp.resolve("out/docker-19.03-x86-64.raw")).isRegularFile();
        assertThat(tmp.resolve("out/addon_01-com.coreos.cl-" + Architecture.host() + ".raw")).isRegularFile();
        JsonNode json = Json.mapper().readTree(tmp.resolve("out/migration.json").toFile());
        assertThat(json.path("torcx").path("lowerProfiles").get(0).asText()).isEqualTo("docker-1.12-no");
        assertThat(json.path("torcx").path("upperProfile").asText()).isEqualTo("custom");
        assertThat(json.path("torcx").path("seal").path("TORCX_UPPER_PROFILE").asText()).isEqualTo("custom");
        JsonNode docker = json.path("images").get(0);
        assertThat(docker.path("name").asText()).isEqualTo("docker");
        assertThat(docker.path("status").asText()).isEqualTo("converted");
        assertThat(docker.path("archive").asText()).isEqualTo("/var/lib/torcx/store/3760.2.0/docker:19.03.torcx.tgz");
        assertThat(docker.path("sha256").asText()).hasSize(64);
        assertThat(docker.path("extensionRelease").path("EXTENSION_RELOAD_MANAGER").asText()).isEqualTo("1");
        assertThat(docker.path("provides").toString()).isEqualTo("[\"containerd\",\"docker\"]");
        assertThat(json.path("images").get(1).path("name").asText()).isEqualTo("addon_01");
        assertThat(json.path("complete").asBoolean()).isTrue();
        String summary = Files.readString(tmp.resolve("out/migration.txt"));
        assertThat(summary).isEqualTo(r.summary()).contains("lower docker-1.12-no; upper custom")
                .contains("docker:19.03  /var/lib/torcx/store/3760.2.0/docker:19.03.torcx.tgz")
                .contains("node-side leftovers: none found");
        try (var s = Files.list(tmp.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".#"));
        }
    }

    @Test
    void leftoversAreListed() throws Exception {
        Path root = f2WithoutSquashfs();
        TorcxFixtures.write(root.resolve("etc/systemd/system/containerd.service.d/10-config.conf"),
                "[Service]\nEnvironment=CONTAINERD_CONFIG=/run/torcx/unpack/docker/usr/share/containerd/config.toml\n");
        MigrationResult r = run(root, false);
        assertThat(r.report().leftovers()).extracting(Leftover::path)
                .containsExactly("/etc/systemd/system/containerd.service.d/10-config.conf");
        assertThat(r.summary()).contains("node-side leftovers that break once torcx is gone")
                .contains("line 2: Environment=CONTAINERD_CONFIG=/run/torcx/unpack/docker")
                .contains("      | Environment=CONTAINERD_CONFIG=/usr/share/containerd/config.toml");
        assertThat(r.report().leftovers().get(0).suggestion())
                .isEqualTo("[Service]\nEnvironment=CONTAINERD_CONFIG=/usr/share/containerd/config.toml\n");
    }

    @Test
    void missingImageIsReportedExitOneAndEnableInstallsNothing() throws Exception {
        Path root = f2WithoutSquashfs();
        TorcxFixtures.write(root.resolve("etc/torcx/profiles/custom.json"),
                TorcxFixtures.profile("profile-manifest-v1", "docker:19.03", "ghost:7"));
        MigrationResult r = run(root, true);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.report().complete()).isFalse();
        MigratedImage ghost = r.report().images().get(1);
        assertThat(ghost.status()).isEqualTo("missing");
        assertThat(ghost.problem()).contains("ghost:7").contains("/var/lib/torcx/store");
        assertThat(root.resolve("opt/extensions")).doesNotExist();
        assertThat(r.report().installation().notes()).singleElement().asString().contains("nothing installed");
        assertThat(r.summary()).contains("ghost:7  missing").contains("INCOMPLETE");
    }

    @Test
    void enableInstallsTheSetAndMasksFlatcarBuiltins() throws Exception {
        Path root = f2WithoutSquashfs();
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"),
                Path.of("/usr/share/flatcar/sysext/docker-flatcar.raw"));
        MigrationResult r = run(root, true);
        assertThat(r.exitCode()).isZero();
        assertThat(root.resolve("opt/extensions/docker/docker-19.03-x86-64.raw"))
                .hasSameBinaryContentAs(tmp.resolve("out/docker-19.03-x86-64.raw"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker.raw")))
                .isEqualTo(Path.of("/opt/extensions/docker/docker-19.03-x86-64.raw"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw")))
                .isEqualTo(Path.of("/dev/null"));
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/containerd-flatcar.raw")))
                .isEqualTo(Path.of("/dev/null"));
        assertThat(r.summary()).contains("enabled: /etc/extensions/docker.raw -> /opt/extensions/docker/")
                .contains("masked: /etc/extensions/docker-flatcar.raw -> /dev/null");
    }

    @Test
    void storeLinkToAFileNamedOtherwiseConvertsUnderTheLinksName() throws Exception {
        Path root = f2WithoutSquashfs();
        Path store = root.resolve("var/lib/torcx/store");
        Files.createDirectories(store.resolve("blobs"));
        Files.move(store.resolve("addon_01.torcx.tgz"), store.resolve("blobs/sha512-0123"));
        Files.createSymbolicLink(store.resolve("addon_01.torcx.tgz"), Path.of("blobs/sha512-0123"));
        MigrationResult r = run(root, false);
        assertThat(r.exitCode()).isZero();
        MigratedImage addon = r.report().images().get(1);
        assertThat(addon.archive()).isEqualTo("/var/lib/torcx/store/addon_01.torcx.tgz");
        assertThat(addon.archiveFile()).endsWith("blobs/sha512-0123");
        assertThat(addon.name()).isEqualTo("addon_01");
    }

    @Test
    void refusedInstallationStillWritesTheReports() throws Exception {
        Path root = f2WithoutSquashfs();
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.writeString(root.resolve("etc/extensions/docker.raw"), "someone's image");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(root, true))
                .isInstanceOf(dev.sysextctl.core.error.RefusedException.class).hasMessageContaining("docker.raw");
        assertThat(Files.readString(tmp.resolve("out/migration.txt"))).contains("note: /etc/extensions/docker.raw");
        assertThat(root.resolve("opt/extensions")).doesNotExist();
    }

    @Test
    void unconvertibleArchiveFailsThatImageOnly() throws Exception {
        Path root = f2WithoutSquashfs();
        Files.write(root.resolve("var/lib/torcx/store/addon_01.torcx.tgz"), "not gzip".getBytes());
        MigrationResult r = run(root, false);
        assertThat(r.report().images().get(0).status()).isEqualTo("converted");
        MigratedImage addon = r.report().images().get(1);
        assertThat(addon.status()).isEqualTo("failed");
        assertThat(addon.exitCode()).isEqualTo(3);
        assertThat(r.exitCode()).isEqualTo(3);
    }
}
