package dev.sysextctl.provision.sysupdate;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update flow with the real systemd-sysupdate 257 and systemd-sysext 257 of a Debian trixie chroot
 * (docs/testing.md §2) against a loopback HTTP server serving a directory written by {@code release}.
 * The cached chroot stays pristine: each step mounts an overlay over it whose upper layer is this test's node
 * state, then binds /dev, /proc, /sys, a shared tmpfs on /run, and the root on itself.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unsquashfs", "unshare", "chroot"})
class SysupdateFlowIT {
    private static final String SYSUPDATE = "/usr/lib/systemd/systemd-sysupdate";
    private static Path chroot;

    @TempDir
    Path tmp;

    @BeforeAll
    static void peers() {
        chroot = TrixieTools.chroot();
    }

    @Test
    void releaseServesUpdatesThatSysupdateInstallsSwitchesAndPrunes() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path site = tmp.resolve("site");
        Path upper = nodeLayers();
        ReleasePublisher publisher = new ReleasePublisher(new ExtensionImageReader(NativeTools.system()));
        try (LocalHttpServer http = new LocalHttpServer(site, "/sysext")) {
            ReleaseOptions options = new ReleaseOptions(site, BaseUrl.parse(http.url("/sysext")),
                    new SystemdVersion(257), 2);
            publisher.publish(List.of(TestImages.hello(images, "hello.raw", "hello", "1")), options);
            assertThat(Files.readString(site.resolve("hello.transfer"))).contains("InstancesMax=2");

            // the node: /etc/extensions exists (as on Flatcar), the transfer files are the published ones
            Files.createDirectories(upper.resolve("etc/extensions"));
            Files.createDirectories(upper.resolve("etc/sysupdate.hello.d"));
            Files.createDirectories(upper.resolve("etc/sysupdate.d"));
            Files.copy(site.resolve("hello.transfer"), upper.resolve("etc/sysupdate.hello.d/hello.transfer"));
            Files.copy(site.resolve("noop.transfer"), upper.resolve("etc/sysupdate.d/noop.transfer"));

            Shell.Result first = onNode("chroot $R " + SYSUPDATE + " -C hello update\n"
                    + "chroot $R " + SYSUPDATE + " update\n", "first update");
            assertThat(first.all()).contains("Selected update '1' for install.");
            assertThat(first.all()).doesNotContain("No transfer definitions found");
            assertThat(installed(upper)).containsExactly("hello-1-x86-64.raw");
            assertThat(link(upper)).isEqualTo("../../opt/extensions/hello/hello-1-x86-64.raw");

            publisher.publish(List.of(TestImages.hello(images, "hello-2-x86-64.raw", "hello", "2")),
                    new ReleaseOptions(site, null, new SystemdVersion(257), 2));
            Shell.Result second = onNode("echo check-new: $(chroot $R " + SYSUPDATE + " -C hello check-new)\n"
                    + "chroot $R " + SYSUPDATE + " -C hello update\n"
                    + "chroot $R systemd-sysext merge\n"
                    + "chroot $R hello\n"
                    + "chroot $R systemd-sysext unmerge\n", "check-new + update + sysext 257 merge");
            assertThat(second.stdout()).contains("check-new: 2\n");
            assertThat(installed(upper)).containsExactly("hello-1-x86-64.raw", "hello-2-x86-64.raw");
            assertThat(link(upper)).isEqualTo("../../opt/extensions/hello/hello-2-x86-64.raw");
            assertThat(second.all()).contains("Using extensions 'hello.raw'.", "hello 2\n");

            publisher.publish(List.of(TestImages.hello(images, "hello-3-x86-64.raw", "hello", "3")),
                    new ReleaseOptions(site, null, new SystemdVersion(257), 2));
            Shell.Result third = onNode("chroot $R " + SYSUPDATE + " -C hello update\n"
                    + "chroot $R " + SYSUPDATE + " -C hello update\n", "update with pruning");
            assertThat(third.all()).contains("Removing old").contains("No update needed");
            assertThat(installed(upper)).containsExactly("hello-2-x86-64.raw", "hello-3-x86-64.raw");
            assertThat(link(upper)).isEqualTo("../../opt/extensions/hello/hello-3-x86-64.raw");
            assertThat(http.requests()).contains("/sysext/SHA256SUMS", "/sysext/hello-1-x86-64.raw",
                    "/sysext/hello-2-x86-64.raw", "/sysext/hello-3-x86-64.raw");
        }
    }

    /**
     * A confext released and updated: sysupdate 257 installs its versions into /opt/confexts/NAME, moves the
     * /var/lib/confexts/NAME.raw link, and systemd-confext 257 merges the current one into /etc.
     */
    @Test
    void confextReleaseIsInstalledIntoOptConfextsAndMergedIntoEtc() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path site = tmp.resolve("site");
        Path upper = nodeLayers();
        ReleasePublisher publisher = new ReleasePublisher(new ExtensionImageReader(NativeTools.system()));
        try (LocalHttpServer http = new LocalHttpServer(site, "/ext")) {
            ReleaseOptions options = new ReleaseOptions(site, BaseUrl.parse(http.url("/ext")),
                    new SystemdVersion(257), 2);
            publisher.publish(List.of(TestImages.confext(images, "motd.raw", "motd", "1")), options);
            String transfer = Files.readString(site.resolve("motd.transfer"));
            assertThat(transfer).contains("# systemd-sysupdate transfer for the confext 'motd'",
                    "MatchPattern=motd-@v-%a.raw", "Path=/opt/confexts/motd\n",
                    "CurrentSymlink=/var/lib/confexts/motd.raw\n");
            // the node: /var/lib/confexts exists (sysupdate does not create a CurrentSymlink's directory: "Failed
            // to update current symlink … No such file or directory"; Ignition's link makes it)
            Files.createDirectories(upper.resolve("var/lib/confexts"));
            Files.createDirectories(upper.resolve("etc/sysupdate.motd.d"));
            Files.createDirectories(upper.resolve("etc/sysupdate.d"));
            Files.copy(site.resolve("motd.transfer"), upper.resolve("etc/sysupdate.motd.d/motd.transfer"));
            Files.copy(site.resolve("noop.transfer"), upper.resolve("etc/sysupdate.d/noop.transfer"));

            onNode("chroot $R " + SYSUPDATE + " -C motd update\n", "confext first update");
            assertThat(installed(upper, "opt/confexts/motd")).containsExactly("motd-1-x86-64.raw");
            publisher.publish(List.of(TestImages.confext(images, "motd-2-x86-64.raw", "motd", "2")),
                    new ReleaseOptions(site, null, new SystemdVersion(257), 2));
            Shell.Result second = onNode("chroot $R " + SYSUPDATE + " -C motd update\n"
                    + "mount --make-rshared $R\n" // systemd-confext 257 moves its overlay onto /etc through it
                    + "chroot $R systemd-confext merge\n"
                    + "chroot $R cat /etc/motd.d/greeting\n"
                    + "chroot $R systemd-confext unmerge\n", "confext update + confext 257 merge");
            assertThat(installed(upper, "opt/confexts/motd")).containsExactly("motd-1-x86-64.raw", "motd-2-x86-64.raw");
            assertThat(Files.readSymbolicLink(upper.resolve("var/lib/confexts/motd.raw")).toString())
                    .isEqualTo("../../../opt/confexts/motd/motd-2-x86-64.raw");
            assertThat(second.all()).contains("Using extensions 'motd.raw'.", "motd 2\n");
        }
    }

    /** The node's overlay directories under {@code tmp/node}; returns the upper layer (the node's own state). */
    private Path nodeLayers() throws java.io.IOException {
        Files.createDirectories(tmp.resolve("node/work"));
        Files.createDirectories(tmp.resolve("node/root"));
        return Files.createDirectories(tmp.resolve("node/upper"));
    }

    /** Runs {@code script} with {@code $R} = the node root (the chroot with this test's state on top). */
    private Shell.Result onNode(String script, String what) {
        Path node = tmp.resolve("node");
        String r = node.resolve("root").toString();
        long t0 = System.nanoTime();
        Shell.Result res = MountNamespace.run(TrixieChroot.mountRoot(chroot, node.resolve("upper"),
                node.resolve("work"), r)
                + script);
        System.out.printf("timing: %s: %d ms%n", what, (System.nanoTime() - t0) / 1_000_000);
        assertThat(res.exitCode()).as(res.all()).isZero();
        return res;
    }

    private static List<String> installed(Path upper) throws Exception {
        return installed(upper, "opt/extensions/hello");
    }

    private static List<String> installed(Path upper, String dir) throws Exception {
        try (Stream<Path> s = Files.list(upper.resolve(dir))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String link(Path upper) throws Exception {
        return Files.readSymbolicLink(upper.resolve("etc/extensions/hello.raw")).toString();
    }
}
