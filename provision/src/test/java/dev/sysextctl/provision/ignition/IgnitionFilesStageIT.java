package dev.sysextctl.provision.ignition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.provision.BaseUrl;
import dev.sysextctl.provision.TestImages;
import dev.sysextctl.provision.image.ExtensionImageReader;
import dev.sysextctl.provision.release.ReleaseOptions;
import dev.sysextctl.provision.release.ReleasePublisher;
import dev.sysextctl.testing.LocalHttpServer;
import dev.sysextctl.testing.MountNamespace;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TrixieChroot;
import dev.sysextctl.testing.TrixieTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec 3.3.0 configs against the real clients (docs/testing.md §2): Debian trixie's
 * {@code ignition-validate} accepts them, the real Ignition (fetch-offline, then files stage) applied to a
 * scratch root writes exactly the expected files and links, downloading the images from a loopback HTTP
 * server, and the real systemd-sysext 252, run in a chroot of that root (with --root 252 skips symlinks), merges
 * the images through the links so their binaries run.
 *
 * <p>Stubbed: SELinux's {@code setfiles}, which the files stage's last step (relabeling) runs; this machine
 * has no SELinux, so a no-op stands in for it.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unsquashfs", "systemd-sysext", "unshare", "chroot"})
class IgnitionFilesStageIT {
    private static Path ignitionBin;

    @TempDir
    Path tmp;

    @BeforeAll
    static void clients() {
        ignitionBin = TrixieTools.ignitionBin();
    }

    @Test
    void plainConfigIsValidAppliedAndMerged() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path hello = TestImages.hello(images, "hello.raw", "hello", "1.0");
        Path tools = TestImages.image(images, "tools.raw", "tools", Map.of("ID", "_any"), "tools-hello",
                "tools here");
        try (LocalHttpServer http = new LocalHttpServer(images, "/sysext")) {
            IgnitionGenerator.Output out = generate(List.of(hello, tools), http.url("/sysext"), false,
                    List.of("docker-flatcar"));
            Path root = apply(out.text());

            assertThat(tree(root)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "etc/extensions/docker-flatcar", "0755 empty",
                    "etc/extensions/docker-flatcar.raw", "-> /dev/null",
                    "etc/extensions/hello.raw", "-> /opt/extensions/hello/hello.raw",
                    "etc/extensions/tools.raw", "-> /opt/extensions/tools/tools.raw",
                    "opt/extensions/hello/hello.raw", "0644 sha256:" + sha256(hello),
                    "opt/extensions/tools/tools.raw", "0644 sha256:" + sha256(tools))));
            assertThat(http.requests()).containsExactlyInAnyOrder("/sysext/hello.raw", "/sysext/tools.raw");

            String merged = mergeInChroot(root, "hello; tools-hello");
            assertThat(merged).contains("Using extensions 'hello', 'tools'.", "hello 1.0", "tools here");
        }
    }

    @Test
    void sysupdateConfigIsValidAppliedAndMerged() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path hello = TestImages.hello(images, "hello.raw", "hello", "1.0");
        Path tools = TestImages.image(images, "tools-2-x86-64.raw", "tools",
                Map.of("ID", "_any", "SYSEXT_VERSION_ID", "2", "ARCHITECTURE", "x86-64"), "tools-hello",
                "tools 2");
        Path site = tmp.resolve("site");
        try (LocalHttpServer http = new LocalHttpServer(site, "/sysext")) {
            String base = http.url("/sysext");
            new ReleasePublisher(new ExtensionImageReader(NativeTools.system())).publish(List.of(hello, tools),
                    new ReleaseOptions(site, BaseUrl.parse(base), SystemdVersion.V252, 0));
            IgnitionGenerator.Output out = generate(List.of(hello, tools), base, true,
                    List.of("docker-flatcar", "containerd-flatcar"));
            Path root = apply(out.text());

            Map<String, String> expected = new TreeMap<>();
            expected.put("etc/extensions/containerd-flatcar", "0755 empty");
            expected.put("etc/extensions/containerd-flatcar.raw", "-> /dev/null");
            expected.put("etc/extensions/docker-flatcar", "0755 empty");
            expected.put("etc/extensions/docker-flatcar.raw", "-> /dev/null");
            expected.put("etc/extensions/hello.raw", "-> /opt/extensions/hello/hello-1.0-x86-64.raw");
            expected.put("etc/extensions/tools.raw", "-> /opt/extensions/tools/tools-2-x86-64.raw");
            expected.put("opt/extensions/hello/hello-1.0-x86-64.raw", "0644 sha256:" + sha256(hello));
            expected.put("opt/extensions/tools/tools-2-x86-64.raw", "0644 sha256:" + sha256(tools));
            // the transfer files Ignition writes are the very files release published
            expected.put("etc/sysupdate.hello.d/hello.conf", "0644 sha256:" + sha256(site.resolve("hello.conf")));
            expected.put("etc/sysupdate.tools.d/tools.conf", "0644 sha256:" + sha256(site.resolve("tools.conf")));
            expected.put("etc/sysupdate.d/noop.conf", "0644 sha256:" + sha256(site.resolve("noop.conf")));
            expected.put("etc/systemd/system/systemd-sysupdate.service.d/hello.conf", "0644 sha256:"
                    + sha256(NodeConfigPlanner.serviceDropin(
                            new dev.sysextctl.provision.sysupdate.TransferFile("hello", base, 3))));
            expected.put("etc/systemd/system/systemd-sysupdate.service.d/tools.conf", "0644 sha256:"
                    + sha256(NodeConfigPlanner.serviceDropin(
                            new dev.sysextctl.provision.sysupdate.TransferFile("tools", base, 3))));
            expected.put("etc/systemd/system-preset/20-ignition.preset", "0644 sha256:"
                    + sha256("enable systemd-sysupdate.timer\n"));
            assertThat(tree(root)).containsExactlyEntriesOf(expected);

            String merged = mergeInChroot(root, "hello; tools-hello");
            assertThat(merged).contains("Using extensions 'hello', 'tools'.", "hello 1.0", "tools 2");
        }
    }

    /**
     * A confext beside a sysext: detected from its {@code etc/extension-release.d}, stored in
     * {@code /opt/confexts/NAME}, linked from {@code /var/lib/confexts}, {@code systemd-confext.service} enabled, its
     * transfer file aimed at those paths; the real systemd-confext 257 (trixie chroot) merges it into /etc.
     */
    @Test
    void confextIsLinkedFromVarLibConfextsEnabledAndMergedBySystemdConfext() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path hello = TestImages.hello(images, "hello-1.0-x86-64.raw", "hello", "1.0");
        Path motd = TestImages.confext(images, "motd-2-x86-64.raw", "motd", "2");
        Path site = tmp.resolve("site");
        try (LocalHttpServer http = new LocalHttpServer(site, "/ext")) {
            String base = http.url("/ext");
            new ReleasePublisher(new ExtensionImageReader(NativeTools.system())).publish(List.of(hello, motd),
                    new ReleaseOptions(site, BaseUrl.parse(base), SystemdVersion.V252, 0));
            IgnitionGenerator.Output out = generate(List.of(hello, motd), base, true, List.of());
            assertThat(out.images()).extracting(i -> i.extensionClass().id()).containsExactly("sysext", "confext");
            Path root = apply(out.text());

            Map<String, String> t = tree(root);
            assertThat(t).containsEntry("var/lib/confexts/motd.raw", "-> /opt/confexts/motd/motd-2-x86-64.raw")
                    .containsEntry("opt/confexts/motd/motd-2-x86-64.raw", "0644 sha256:" + sha256(motd))
                    .containsEntry("etc/extensions/hello.raw", "-> /opt/extensions/hello/hello-1.0-x86-64.raw")
                    .containsEntry("etc/sysupdate.motd.d/motd.conf", "0644 sha256:" + sha256(site.resolve(
                            "motd.conf")))
                    .containsKey("etc/systemd/system-preset/20-ignition.preset")
                    .doesNotContainKey("etc/extensions/motd.raw");
            // Ignition writes the preset lines in its own map's order, which differs from run to run
            assertThat(t.get("etc/systemd/system-preset/20-ignition.preset")).startsWith("0644 ");
            assertThat(Files.readAllLines(root.resolve("etc/systemd/system-preset/20-ignition.preset")))
                    .containsExactlyInAnyOrder("enable systemd-confext.service", "enable systemd-sysupdate.timer");
            assertThat(Files.readString(site.resolve("motd.conf")))
                    .contains("Path=/opt/confexts/motd\n", "CurrentSymlink=/var/lib/confexts/motd.raw\n");

            Shell.Result merged = MountNamespace.run(TrixieChroot.mountRoot(TrixieTools.chroot(), root,
                    Files.createDirectories(tmp.resolve("ovl-work")), Files.createDirectories(tmp.resolve("ovl"))
                            .toString())
                    + "mount --make-rshared $R\n" // systemd-confext 257 moves its overlay onto /etc through it
                    + "chroot $R systemd-confext merge\n"
                    + "chroot $R cat /etc/motd.d/greeting\n"
                    + "chroot $R systemd-confext unmerge\n");
            assertThat(merged.exitCode()).as(merged.all()).isZero();
            assertThat(merged.all()).contains("Using extensions 'motd.raw'.", "motd 2\n", "Unmerged '/etc'.");
        }
    }

    @Test
    void withSysextctlFileIsDownloadedVerifiedLinkedAndMerged() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path hello = TestImages.hello(images, "hello.raw", "hello", "1.0");
        Path self = sysextctlImage(images, "sysextctl from its sysext");
        try (LocalHttpServer http = new LocalHttpServer(images, "/sysext")) {
            IgnitionGenerator.Output out = generate(List.of(hello), new IgnitionOptions(
                    BaseUrl.parse(http.url("/sysext")), IgnitionSpec.V3_3_0, false, List.of(), null, 0,
                    new SysextctlImage.File(self)));
            assertThat(out.text()).contains("\"hash\": \"sha512-" + IgnitionRules.digest("SHA-512",
                    Files.readAllBytes(self)) + "\"");
            Path root = apply(out.text());

            assertThat(tree(root)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "etc/extensions/hello.raw", "-> /opt/extensions/hello/hello.raw",
                    "etc/extensions/sysextctl.raw", "-> /opt/extensions/sysextctl/sysextctl-1.0-x86-64.raw",
                    "opt/extensions/hello/hello.raw", "0644 sha256:" + sha256(hello),
                    "opt/extensions/sysextctl/sysextctl-1.0-x86-64.raw", "0644 sha256:" + sha256(self))));
            assertThat(http.requests()).containsExactlyInAnyOrder("/sysext/hello.raw",
                    "/sysext/sysextctl-1.0-x86-64.raw");
            String merged = mergeInChroot(root, "hello; sysextctl");
            assertThat(merged).contains("Using extensions 'hello', 'sysextctl'.", "sysextctl from its sysext");
        }
    }

    @Test
    void withSysextctlUrlAloneIsValidAndApplied() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path self = sysextctlImage(images, "sysextctl from a URL");
        try (LocalHttpServer http = new LocalHttpServer(images, "/dl")) {
            IgnitionGenerator.Output out = generate(List.of(), new IgnitionOptions(null, IgnitionSpec.V3_3_0, false,
                    List.of(), null, 0, SysextctlImage.parse(http.url("/dl") + "/sysextctl-1.0-x86-64.raw")));
            assertThat(out.notes()).singleElement().asString().contains("does not verify");
            Path root = apply(out.text());
            assertThat(tree(root)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "etc/extensions/sysextctl.raw", "-> /opt/extensions/sysextctl/sysextctl-1.0-x86-64.raw",
                    "opt/extensions/sysextctl/sysextctl-1.0-x86-64.raw", "0644 sha256:" + sha256(self))));
            assertThat(mergeInChroot(root, "sysextctl")).contains("sysextctl from a URL");
        }
    }

    @Test
    void withSysextctlRefusesAnotherExtensionAndNeedsABaseUrlForAFile() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path hello = TestImages.hello(images, "hello-1.0-x86-64.raw", "hello", "1.0");
        IgnitionGenerator generator = new IgnitionGenerator(new ExtensionImageReader(NativeTools.system()));
        assertThatThrownBy(() -> generator.generate(List.of(), new IgnitionOptions(BaseUrl.parse(
                "https://example.com/s"), null, false, List.of(), null, 0, new SysextctlImage.File(hello)), false))
                .isInstanceOf(RefusedException.class).hasMessageContaining("is the extension 'hello'");
        assertThatThrownBy(() -> generator.generate(List.of(hello), new IgnitionOptions(null, null, false,
                List.of(), null, 0, null), false))
                .isInstanceOf(UsageException.class).hasMessageContaining("--base-url is missing");
    }

    /** A stand-in for sysextctl's sysext: extension 'sysextctl' 1.0 whose usr/bin/sysextctl prints {@code says}. */
    private static Path sysextctlImage(Path dir, String says) {
        return TestImages.image(dir, "sysextctl-1.0-x86-64.raw", "sysextctl",
                Map.of("ID", "_any", "SYSEXT_VERSION_ID", "1.0", "ARCHITECTURE", "x86-64"), "sysextctl", says);
    }

    @Test
    void theValidatorIsARealOracle() throws Exception {
        Path cfg = tmp.resolve("bad.ign");
        Files.writeString(cfg, "{\"ignition\":{\"version\":\"3.3.0\"},\"storage\":{\"links\":["
                + "{\"path\":\"etc/extensions/x.raw\",\"target\":\"/dev/null\"}]}}");
        Shell.Result r = Shell.run(ignitionBin.resolve("ignition-validate").toString(), cfg.toString());
        assertThat(r.exitCode()).as(r.all()).isNotZero();
        assertThat(r.all()).contains("absolute");
    }

    private IgnitionGenerator.Output generate(List<Path> images, String base, boolean sysupdate, List<String> masks)
            throws Exception {
        return generate(images, new IgnitionOptions(BaseUrl.parse(base), IgnitionSpec.V3_3_0, sysupdate, masks,
                null, 0));
    }

    private IgnitionGenerator.Output generate(List<Path> images, IgnitionOptions options) throws Exception {
        IgnitionGenerator.Output out = new IgnitionGenerator(new ExtensionImageReader(NativeTools.system()))
                .generate(images, options, false);
        Path cfg = tmp.resolve("config.ign");
        Files.writeString(cfg, out.text());
        long t0 = System.nanoTime();
        Shell.Result v = Shell.run(ignitionBin.resolve("ignition-validate").toString(), cfg.toString());
        log("ignition-validate", t0);
        assertThat(v.exitCode()).as(v.all()).isZero();
        assertThat(v.all()).as("no warnings either").isBlank();
        return out;
    }

    /** Applies the config to a fresh scratch root with the real Ignition, as a node's initrd would. */
    private Path apply(String config) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc/selinux"));
        Files.writeString(root.resolve("etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
        Path stubs = Files.createDirectories(tmp.resolve("stubs"));
        Path setfiles = stubs.resolve("setfiles");
        Files.writeString(setfiles, "#!/bin/sh\ncat >/dev/null\n");
        Files.setPosixFilePermissions(setfiles, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cfg = tmp.resolve("apply.ign");
        Files.writeString(cfg, config);
        String ignition = ignitionBin.resolve("ignition").toString();
        String run = "timeout 120 " + ignition + " -platform file -root " + root + " -log-to-stdout -stage ";
        long t0 = System.nanoTime();
        Shell.Result r = MountNamespace.run(run + "fetch-offline && " + run + "files",
                Map.of("IGNITION_CONFIG_FILE", cfg.toString(), "PATH", stubs + ":" + System.getenv("PATH")));
        log("ignition fetch-offline + files", t0);
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stdout()).contains("Stage: files").doesNotContain("CRITICAL");
        // Ignition's own bookkeeping and our SELinux stand-in are not part of what the config asked for
        Files.delete(root.resolve("etc/.ignition-result.json"));
        Shell.run("rm", "-rf", root.resolve("etc/selinux").toString()).assertSuccess();
        return root;
    }

    /** systemd-sysext 252 inside a chroot of {@code root} whose /usr is the host's. */
    private String mergeInChroot(Path root, String commands) throws IOException {
        for (String d : List.of("usr", "dev", "proc", "sys", "run", "tmp")) {
            Files.createDirectories(root.resolve(d));
        }
        for (String l : List.of("bin", "lib", "lib64", "sbin")) {
            Files.createSymbolicLink(root.resolve(l), Path.of("usr/" + l));
        }
        Files.copy(Path.of("/usr/lib/os-release"), root.resolve("etc/os-release"));
        String r = root.toString();
        long t0 = System.nanoTime();
        Shell.Result res = MountNamespace.run("set -e\n"
                + "mount --bind " + r + " " + r + "\n" // image dissection wants / to be a mount point
                + "mount --bind /usr " + r + "/usr\n"
                + "mount --rbind /dev " + r + "/dev\n"
                + "mount -t proc proc " + r + "/proc\n"
                + "mount --rbind /sys " + r + "/sys\n"
                + "mount --rbind /run " + r + "/run\n"
                + "chroot " + r + " systemd-sysext merge\n"
                + "chroot " + r + " sh -c '" + commands + "'\n"
                + "chroot " + r + " systemd-sysext unmerge\n");
        log("systemd-sysext 252 merge + run + unmerge", t0);
        assertThat(res.exitCode()).as(res.all()).isZero();
        return res.all();
    }

    /**
     * Every non-directory entry below {@code root}: links as {@code -> target}, files as mode and hash, and every
     * empty directory as its mode and {@code empty}.
     */
    private static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, mode(p) + " sha256:" + sha256(p));
                } else if (!rel.isEmpty() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> children = Files.list(p)) {
                        if (children.findAny().isEmpty()) {
                            out.put(rel, mode(p) + " empty");
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String mode(Path p) throws IOException {
        return Integer.toOctalString(0x1000 | ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)
                & 07777)).substring(1);
    }

    private static String sha256(Path p) throws IOException {
        return IgnitionRules.digest("SHA-256", Files.readAllBytes(p));
    }

    private static String sha256(String text) {
        return IgnitionRules.digest("SHA-256", text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void log(String what, long t0) {
        System.out.printf("timing: %s: %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
    }
}
