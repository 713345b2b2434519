package dev.sysextctl.provision.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.TestImages;
import dev.sysextctl.provision.image.ExtensionImageReader;
import dev.sysextctl.provision.sysupdate.MatchPattern;
import dev.sysextctl.provision.sysupdate.NoopTransfer;
import dev.sysextctl.provision.sysupdate.Sha256Sums;
import dev.sysextctl.provision.sysupdate.TransferFile;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Requires(tools = {"mksquashfs", "unsquashfs", "sha256sum"})
class ReleasePublisherIT {
    @TempDir
    Path tmp;

    private final ReleasePublisher publisher = new ReleasePublisher(new ExtensionImageReader(NativeTools.system()));

    private ReleaseOptions options(Path out, String url, int systemd) throws UsageException {
        return new ReleaseOptions(out, url == null ? null : BaseUrl.parse(url), new SystemdVersion(systemd), 0);
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void laysOutTheBakeryDirectoryWhoseNamesAgree() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path docker = TestImages.hello(in, "docker.raw", "docker", "28.0.4");
        Path k8s = TestImages.hello(in, "kubernetes-v1.32.2-x86-64.raw", "kubernetes", "v1.32.2");
        Path out = tmp.resolve("site");
        ReleaseResult r = publisher.publish(List.of(docker, k8s), options(out, "https://example.com/sysext", 252));

        assertThat(listing(out)).containsExactly("SHA256SUMS", "docker-28.0.4-x86-64.raw", "docker.conf",
                "kubernetes-v1.32.2-x86-64.raw", "kubernetes.conf", "noop.conf");
        assertThat(r.images()).extracting(ReleaseResult.Released::fileName)
                .containsExactly("docker-28.0.4-x86-64.raw", "kubernetes-v1.32.2-x86-64.raw");
        // SHA256SUMS is what sha256sum itself writes and checks
        Shell.Result check = Shell.run(List.of("sha256sum", "--check", "--strict", "SHA256SUMS"), Map.of(), out, 60);
        assertThat(check.exitCode()).as(check.all()).isZero();
        assertThat(Files.readString(out.resolve("SHA256SUMS"))).isEqualTo(Shell.run(List.of("sha256sum",
                "docker-28.0.4-x86-64.raw", "kubernetes-v1.32.2-x86-64.raw"), Map.of(), out, 60).stdout());
        // pattern, link and extension-release name agree, and the pattern finds the file with its version
        String conf = Files.readString(out.resolve("docker.conf"));
        assertThat(conf).isEqualTo(new TransferFile("docker", "https://example.com/sysext/", 3).render());
        assertThat(conf).contains("MatchPattern=docker-@v-%a.raw", "CurrentSymlink=/etc/extensions/docker.raw",
                "Path=/opt/extensions/docker\n", "Path=https://example.com/sysext/\n");
        assertThat(MatchPattern.parse("kubernetes-@v-%a.raw", "x86-64").version("kubernetes-v1.32.2-x86-64.raw"))
                .contains("v1.32.2");
        assertThat(Files.readString(out.resolve("noop.conf"))).isEqualTo(NoopTransfer.CONTENT);
        assertThat(Files.readAllBytes(out.resolve("docker-28.0.4-x86-64.raw"))).isEqualTo(Files.readAllBytes(docker));
        assertThat(Files.getPosixFilePermissions(out.resolve("docker-28.0.4-x86-64.raw")))
                .hasSize(4);
        assertThat(listing(out)).noneMatch(n -> n.startsWith(".#"));
    }

    @Test
    void appendingKeepsOtherEntriesAndReusesTheUrl() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = Files.createDirectories(tmp.resolve("site"));
        String foreign = "f".repeat(64) + " *something-else.tar\n";
        Files.writeString(out.resolve("SHA256SUMS"), foreign);
        publisher.publish(List.of(TestImages.hello(in, "hello.raw", "hello", "1")),
                options(out, "http://127.0.0.1:1/r/", 257));
        ReleaseResult second = publisher.publish(List.of(TestImages.hello(in, "hello-2-x86-64.raw", "hello", "2"),
                out.resolve("hello-1-x86-64.raw")), options(out, null, 257));

        Sha256Sums index = Sha256Sums.parse(Files.readString(out.resolve("SHA256SUMS")));
        assertThat(index.entries()).extracting(Sha256Sums.Entry::fileName)
                .containsExactly("something-else.tar", "hello-1-x86-64.raw", "hello-2-x86-64.raw");
        assertThat(Files.readString(out.resolve("SHA256SUMS"))).startsWith(foreign);
        assertThat(second.images()).extracting(ReleaseResult.Released::alreadyPresent).containsExactly(false, true);
        assertThat(listing(out)).contains("hello.transfer", "noop.transfer").doesNotContain("hello.conf");
        assertThat(Files.readString(out.resolve("hello.transfer"))).contains("Path=http://127.0.0.1:1/r/\n");
        // idempotent
        String before = Files.readString(out.resolve("SHA256SUMS"));
        publisher.publish(List.of(out.resolve("hello-2-x86-64.raw")), options(out, null, 257));
        assertThat(Files.readString(out.resolve("SHA256SUMS"))).isEqualTo(before);
    }

    @Test
    void aReleasedVersionNeverChanges() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("site");
        publisher.publish(List.of(TestImages.hello(in, "hello.raw", "hello", "1")), options(out, "http://h/", 252));
        String index = Files.readString(out.resolve("SHA256SUMS"));
        Path rebuilt = TestImages.image(Files.createDirectories(tmp.resolve("in2")), "hello.raw", "hello",
                new LinkedHashMap<>(Map.of("ID", "_any", "SYSEXT_VERSION_ID", "1", "ARCHITECTURE", "x86-64")),
                "different content");
        assertThatThrownBy(() -> publisher.publish(List.of(rebuilt), options(out, null, 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("must not change");
        assertThat(Files.readString(out.resolve("SHA256SUMS"))).isEqualTo(index);
    }

    @Test
    void refusesWhatSysupdateCouldNeverFind() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path out = tmp.resolve("site");
        Path tilde = TestImages.hello(in, "hello.raw", "hello", "2.0~rc1");
        assertThatThrownBy(() -> publisher.publish(List.of(tilde), options(out, "http://h/", 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("@v").hasMessageContaining("2.0-rc1");
        Path noVersion = TestImages.hello(Files.createDirectories(tmp.resolve("nv")), "hello.raw", "hello", null);
        assertThatThrownBy(() -> publisher.publish(List.of(noVersion), options(out, "http://h/", 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("no SYSEXT_VERSION_ID")
                .hasMessageContaining("--version");
        Path anyArch = TestImages.image(Files.createDirectories(tmp.resolve("aa")), "hello.raw", "hello",
                Map.of("ID", "_any", "SYSEXT_VERSION_ID", "1", "ARCHITECTURE", "_any"), "x");
        assertThatThrownBy(() -> publisher.publish(List.of(anyArch), options(out, "http://h/", 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("ARCHITECTURE=_any");
        Path mismatch = TestImages.hello(Files.createDirectories(tmp.resolve("mm")), "dockr.raw", "docker", "1");
        assertThatThrownBy(() -> publisher.publish(List.of(mismatch), options(out, "http://h/", 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("extension-release.docker");
        Path docker = TestImages.hello(in, "docker.raw", "docker", "1");
        Path compose = TestImages.hello(in, "docker-compose.raw", "docker-compose", "2");
        assertThatThrownBy(() -> publisher.publish(List.of(docker, compose), options(out, "http://h/", 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("separate directories");
        assertThatThrownBy(() -> publisher.publish(List.of(docker), options(out, null, 252)))
                .isInstanceOf(UsageException.class).hasMessageContaining("--base-url");
        assertThat(out).doesNotExist();
    }

    @Test
    void refusesAMalformedExistingIndex() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(out.resolve("SHA256SUMS"), "not an index\n");
        Path img = TestImages.hello(Files.createDirectories(tmp.resolve("in")), "hello.raw", "hello", "1");
        assertThatThrownBy(() -> publisher.publish(List.of(img), options(out, "http://h/", 252)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("line 1");
        assertThat(listing(out)).containsExactly("SHA256SUMS");
    }
}
