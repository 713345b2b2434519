package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.ConfigRequest;
import dev.sysextctl.merger.Merger;
import dev.sysextctl.merger.RefreshNow;
import dev.sysextctl.merger.config.ConfigChange;
import dev.sysextctl.merger.config.Masks;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.lab.Snapshot;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * enable, disable, mask and unmask on a scratch root: the links and directories on disk are exactly what the
 * contract says, and the real systemd-sysext 252 (in a chroot, so it follows the links) then merges exactly the
 * expected set.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unsquashfs", "unshare"})
class NodeConfigIT {
    @TempDir
    Path tmp;

    private final Merger merger = new Merger(NativeTools.system(), Clock.systemUTC(), Duration.ofSeconds(5));

    private Layout layout() {
        return Layout.create(tmp.resolve("root")).chrootable()
                .raw("/opt/extensions/docker", "docker-24.0-x86-64.raw", Ext.named("docker"))
                .raw("/opt/extensions/tools", "tools-1.raw", Ext.named("tools"))
                .directory("/srv/exts", "dev-tools", Ext.named("dev-tools"));
    }

    private static Node node(Layout l) throws Exception {
        return Node.open(l.root(), null, Map.of());
    }

    private static Snapshot systemdMerge(Layout l) {
        return Lab.run(l, Lab.Run.of(Lab.Engine.SYSTEMD).mode(Lab.Mode.CHROOT));
    }

    @Test
    void enableWritesRelativeLinksThatSystemdMerges() throws Exception {
        Layout l = layout();
        Node n = node(l);
        ConfigChange a = merger.enable(n, new ConfigRequest.Enable(
                l.path("/opt/extensions/docker/docker-24.0-x86-64.raw"), null, false, false, null)).change();
        ConfigChange b = merger.enable(n, new ConfigRequest.Enable(l.path("/srv/exts/dev-tools"), null, true,
                false, null)).change();
        assertThat(a.name()).isEqualTo("docker");
        assertThat(a.created()).containsExactly("/etc/extensions/docker.raw");
        assertThat(Files.readSymbolicLink(l.path("/etc/extensions/docker.raw")))
                .isEqualTo(Path.of("../../opt/extensions/docker/docker-24.0-x86-64.raw"));
        assertThat(b.created()).containsExactly("/run/extensions/dev-tools");
        assertThat(Files.readSymbolicLink(l.path("/run/extensions/dev-tools"))).isEqualTo(Path.of("../../srv/exts/"
                + "dev-tools"));
        try (Stream<Path> s = Files.list(l.path("/etc/extensions"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("docker.raw");
        }
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.SYSTEMD).mode(Lab.Mode.CHROOT)
                .setup("mkdir -p \"$R/run/extensions\" && ln -s ../../srv/exts/dev-tools \"$R/run/extensions/dev-tools\""));
        assertThat(s.usrExtensions()).as("%s", s).containsExactly("dev-tools", "docker");
    }

    @Test
    void enableRefusesAnImageWhoseReleaseDoesNotMatchTheNameAndWritesNothing() throws Exception {
        Layout l = layout();
        Node n = node(l);
        assertThatThrownBy(() -> merger.enable(n, new ConfigRequest.Enable(
                l.path("/opt/extensions/docker/docker-24.0-x86-64.raw"), "dockerx", false, false, null))).isInstanceOf(RefusedException.class).hasMessageContaining("does not match the "
                        + "name 'dockerx'");
        assertThat(l.path("/etc/extensions/dockerx.raw")).doesNotExist();
        ConfigChange forced = merger.enable(n, new ConfigRequest.Enable(
                l.path("/opt/extensions/docker/docker-24.0-x86-64.raw"), "dockerx", false, true, null)).change();
        assertThat(forced.created()).containsExactly("/etc/extensions/dockerx.raw");
        Snapshot s = systemdMerge(l);
        assertThat(s.rc()).as("systemd aborts on the forced mismatch, as sysextctl warned\n%s", s).isEqualTo(1);
        assertThat(s.output()).contains("Failed to read metadata for image dockerx: No medium found");
    }

    @Test
    void enableRefusesAnIncompatibleImage() throws Exception {
        Layout l = layout().raw("/opt/extensions/fed", "fed.raw", Ext.named("fed").release("ID=fedora\n"));
        Node n = node(l);
        assertThatThrownBy(() -> merger.enable(n, new ConfigRequest.Enable(l.path("/opt/extensions/fed/fed.raw"),
                null, false, false, null))).isInstanceOf(RefusedException.class)
                .hasMessageContaining("Extension 'fed' is for OS 'fedora', but deployed on top of 'debian'.");
        assertThat(l.path("/etc/extensions/fed.raw")).doesNotExist();
    }

    @Test
    void disableRemovesOnlyTheLink() throws Exception {
        Layout l = layout().raw("/etc/extensions", Ext.named("plain"));
        Node n = node(l);
        merger.enable(n, new ConfigRequest.Enable(l.path("/opt/extensions/tools/tools-1.raw"), null, false,
                false, null));
        ConfigChange d = merger.disable(n, new ConfigRequest.Disable("tools", false, null)).change();
        assertThat(d.removed()).containsExactly("/etc/extensions/tools.raw");
        assertThat(l.path("/opt/extensions/tools/tools-1.raw")).isRegularFile();
        assertThatThrownBy(() -> merger.disable(n, new ConfigRequest.Disable("plain", false, null)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("is a regular file");
        assertThat(l.path("/etc/extensions/plain.raw")).isRegularFile();
        Snapshot s = systemdMerge(l);
        assertThat(s.usrExtensions()).as("%s", s).containsExactly("plain");
    }

    @Test
    void maskKeepsEveryImageOfTheNameOutAndUnmaskBringsItBack() throws Exception {
        Layout l = layout().raw("/var/lib/extensions", Ext.named("tools")).raw("/usr/lib/extensions",
                Ext.named("tools"));
        Node n = node(l);
        merger.enable(n, new ConfigRequest.Enable(l.path("/opt/extensions/docker/docker-24.0-x86-64.raw"), null,
                false, false, null));
        ConfigChange m = merger.mask(n, new ConfigRequest.Mask("tools", null)).change();
        assertThat(m.created()).containsExactly("/etc/extensions/tools");
        Path mask = l.path("/etc/extensions/tools");
        assertThat(mask).isEmptyDirectory();
        assertThat(Masks.isOurs(mask)).isTrue();
        assertThat(systemdMerge(l).usrExtensions()).containsExactly("docker");
        assertThat(merger.mask(n, new ConfigRequest.Mask("tools", null)).change().changed()).isFalse();
        ConfigChange u = merger.unmask(n, new ConfigRequest.Unmask("tools", null)).change();
        assertThat(u.removed()).containsExactly("/etc/extensions/tools");
        assertThat(mask).doesNotExist();
        assertThat(systemdMerge(l).usrExtensions()).containsExactly("docker", "tools");
    }

    @Test
    void maskRefusesToRaceAnEnabledLinkAndUnmaskLeavesForeignMasks() throws Exception {
        Layout l = layout().emptyDir("/etc/extensions", "foreign").link("/etc/extensions", "fl.raw", "/dev/null");
        Node n = node(l);
        merger.enable(n, new ConfigRequest.Enable(l.path("/opt/extensions/tools/tools-1.raw"), null, false,
                false, null));
        assertThatThrownBy(() -> merger.mask(n, new ConfigRequest.Mask("tools", null)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("sysextctl disable tools");
        assertThatThrownBy(() -> merger.unmask(n, new ConfigRequest.Unmask("foreign", null)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("not created by sysextctl mask");
        assertThat(l.path("/etc/extensions/foreign")).isEmptyDirectory();
        assertThat(merger.mask(n, new ConfigRequest.Mask("fl", null)).change().created())
                .containsExactly("/etc/extensions/fl");
        assertThat(Files.readSymbolicLink(l.path("/etc/extensions/fl.raw"))).isEqualTo(Path.of("/dev/null"));
    }

    @Test
    void enableNowMergesWithTheNativeEngine() throws Exception {
        Layout l = layout();
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).verb("list").setup(Lab.java() + " -cp '"
                + Lab.classpath() + "' '" + EnableNow.class.getName() + "' \"$R\" \"$R/opt/extensions/docker/"
                + "docker-24.0-x86-64.raw\""));
        assertThat(s.usrExtensions()).as("%s", s).containsExactly("docker");
    }

    /** enable --now inside the test's namespace. */
    public static final class EnableNow {
        public static void main(String[] args) throws Exception {
            Merger m = new Merger(NativeTools.system(), Clock.systemUTC(), Duration.ofSeconds(5));
            Merger.ConfigOutcome o = m.enable(Node.open(Path.of(args[0]), null, Map.of()),
                    new ConfigRequest.Enable(Path.of(args[1]), null, false, false,
                            RefreshNow.with(EngineKind.NATIVE)));
            System.out.println(o.refresh().messages());
        }
    }
}
