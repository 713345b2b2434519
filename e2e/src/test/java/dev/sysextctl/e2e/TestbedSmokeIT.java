package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.e2e.NodeExtension.Nodes;
import dev.sysextctl.testing.Requires;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the test bed with the real systemd pieces and images made by {@code sysextctl build} ({@link ExtensionImage};
 * ExtensionImageIT proves such an image holds exactly what the test wrote, so a builder fault shows there): the node
 * boots cleanly, merges what lies in /etc/extensions at boot and starts the units it brings, reboots like a real
 * machine, and runs the repository's jar on the host's JDK even while /usr is overlaid.
 */
@Requires(docker = true, tools = {"mksquashfs"})
@ExtendWith(NodeExtension.class)
class TestbedSmokeIT {
    @TempDir
    Path tmp;

    @Test
    void bootsToRunningWithNoFailedUnitAndASharedRoot(Node node) {
        assertThat(node.bootState()).isEqualTo("running");
        assertThat(node.exec("systemctl", "--failed", "--no-legend", "--plain").assertSuccess().stdout()).isBlank();
        assertThat(node.exec("systemd-detect-virt", "--container").stdout().strip()).isEqualTo("docker");
        assertThat(node.exec("findmnt", "-no", "PROPAGATION", "/").assertSuccess().stdout()).contains("shared");
        assertThat(node.exec("systemd-sysext", "--version").assertSuccess().stdout()).startsWith("systemd 252");
    }

    @Test
    void anImageInEtcExtensionsIsMergedAtBootAndTheUnitItUpholdsIsActive(Node node) {
        Path raw = hello(node).squashfs(tmp);
        assertThat(node.exists("/usr/bin/hello")).isFalse();

        node.copyIn(raw, "/etc/extensions/hello.raw");
        node.restart();

        assertThat(node.bootState()).isEqualTo("running");
        assertThat(node.exec("systemd-sysext", "status").assertSuccess().stdout()).containsPattern("/usr\\s+hello\\s");
        assertThat(node.exec("/usr/bin/hello").assertSuccess().stdout()).isEqualTo("hello from an extension\n");
        assertThat(node.exec("systemctl", "is-active", "hello.service").stdout().strip()).isEqualTo("active");
        assertThat(node.journal("hello.service")).contains("hello from an extension");
    }

    @Test
    void aRebootKeepsEtcVarAndOptButRunAndTmpAreFresh(Node node) {
        for (String path : new String[] {"/etc/testbed-mark", "/var/lib/testbed-mark", "/opt/testbed-mark",
                "/run/testbed-mark", "/tmp/testbed-mark"}) {
            node.write(path, "before the reboot\n", 0644);
        }
        String firstPid1Start = node.exec("systemctl", "show", "-P", "UserspaceTimestampMonotonic").stdout();

        node.restart();

        assertThat(node.read("/etc/testbed-mark")).isEqualTo("before the reboot\n");
        assertThat(node.read("/var/lib/testbed-mark")).isEqualTo("before the reboot\n");
        assertThat(node.read("/opt/testbed-mark")).isEqualTo("before the reboot\n");
        assertThat(node.exists("/run/testbed-mark")).isFalse();
        assertThat(node.exists("/tmp/testbed-mark")).isFalse();
        assertThat(node.exec("systemctl", "show", "-P", "UserspaceTimestampMonotonic").stdout())
                .isNotEqualTo(firstPid1Start);
        assertThat(node.bootState()).isEqualTo("running");
    }

    @Test
    void theSysextctlJarRunsOnTheHostJdkWhileUsrIsOverlaid(Node node) {
        node.copyIn(hello(node).squashfs(tmp), "/run/extensions/hello.raw");
        node.exec("systemd-sysext", "merge").assertSuccess();
        assertThat(node.exec("/usr/bin/hello").assertSuccess().stdout()).isEqualTo("hello from an extension\n");

        assertThat(node.sysextctl("--version").assertSuccess().stdout()).contains("sysextctl");
        assertThat(node.exec(HostJava.NODE_HOME + "/bin/java", "-version").assertSuccess().stderr())
                .contains(Runtime.version().feature() + "");
    }

    @Test
    void theJournalTellsWhyAnImageForAnotherOsWasNotMerged(Node node) {
        Path raw = ExtensionImage.named("alien").release("ID=fedora", "VERSION_ID=40")
                .file("usr/bin/alien", "#!/bin/sh\necho alien\n", 0755).squashfs(tmp);
        node.copyIn(raw, "/etc/extensions/alien.raw");

        node.restart();

        assertThat(node.exists("/usr/bin/alien")).isFalse();
        assertThat(node.exec("systemd-sysext", "status").stdout()).doesNotContain("alien");
        assertThat(node.journal("systemd-sysext.service"))
                .contains("No suitable extensions found (1 ignored due to incompatible version)");
    }

    @Test
    void filesGivenBeforeTheFirstBootAreMergedAtThatBoot(Nodes nodes) {
        Path raw = ExtensionImage.named("hello").release("ID=_any")
                .file("usr/bin/hello", "#!/bin/sh\necho hello from an extension\n", 0755).squashfs(tmp);

        Node node = nodes.create().file("/etc/extensions/hello.raw", raw).boot();

        assertThat(node.exec("/usr/bin/hello").assertSuccess().stdout()).isEqualTo("hello from an extension\n");
    }

    /** The hello extension, for the node's own OS (ID and VERSION_ID from its os-release). */
    private static ExtensionImage hello(Node node) {
        String osRelease = node.read("/etc/os-release");
        return ExtensionImage.named("hello")
                .release(line(osRelease, "ID"), line(osRelease, "VERSION_ID"))
                .file("usr/bin/hello", "#!/bin/sh\necho hello from an extension\n", 0755)
                .unit("hello.service", """
                        [Unit]
                        Description=Hello from an extension
                        [Service]
                        Type=oneshot
                        RemainAfterExit=yes
                        ExecStart=/usr/bin/hello
                        """)
                .upheldBy("multi-user.target", "hello.service");
    }

    private static String line(String envFile, String key) {
        return envFile.lines().filter(l -> l.startsWith(key + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + key + " in the node's os-release:\n" + envFile));
    }
}
