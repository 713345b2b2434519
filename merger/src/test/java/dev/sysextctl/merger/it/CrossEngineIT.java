package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.lab.Snapshot;
import dev.sysextctl.testing.Requires;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge made by one engine is recognised, replaced and unmerged by the other: the same markers, the same
 * workspace layout, the same {@code dev} test.
 */
@Requires(root = true, mounts = true, tools = {"systemd-sysext", "mksquashfs", "unshare"})
class CrossEngineIT {
    @TempDir
    Path tmp;

    private Layout layout(String id) {
        return Layout.create(tmp.resolve(id)).raw("/etc/extensions", Ext.named("a").file("opt/a/f", "a"))
                .raw("/etc/extensions", Ext.named("b"));
    }

    private static Lab.Run by(Lab.Engine merge, Lab.Engine unmerge, Path root) {
        Lab.Run u = Lab.Run.of(unmerge);
        return Lab.Run.of(merge).noUnmerge().after("echo '## unmerge'; " + Lab.command(u, "unmerge")
                + " 2>&1; echo \"rc=$?\"; grep -c ' - overlay sysext ' /proc/self/mountinfo");
    }

    @Test
    void nativeMergeIsUnmergedBySystemdSysextAndTheTreeIsRestored() {
        Layout l = layout("n2s");
        List<String> before = tree(l);
        Snapshot s = Lab.run(l, by(Lab.Engine.NATIVE, Lab.Engine.SYSTEMD, l.root()));
        assertThat(s.mergedHierarchies()).as("%s", s).containsExactly("/opt", "/usr");
        assertThat(s.extra()).as("%s", s).contains("Unmerged '" + l.root() + "/usr'.")
                .contains("Unmerged '" + l.root() + "/opt'.").contains("rc=0").endsWith("0\n");
        assertThat(Differential.sysextMounts(s.mountsAfter())).isEmpty();
        assertThat(s.treeAfter()).containsAll(before).contains("./opt drwxr-xr-x");
    }

    @Test
    void systemdMergeIsUnmergedByTheNativeEngine() {
        Layout l = layout("s2n");
        List<String> before = tree(l);
        Snapshot s = Lab.run(l, by(Lab.Engine.SYSTEMD, Lab.Engine.NATIVE, l.root()));
        assertThat(s.mergedHierarchies()).as("%s", s).containsExactly("/opt", "/usr");
        assertThat(s.extra()).as("%s", s).contains("Unmerged '" + l.root() + "/usr'.")
                .contains("Unmerged '" + l.root() + "/opt'.").contains("rc=0").endsWith("0\n");
        assertThat(Differential.sysextMounts(s.mountsAfter())).isEmpty();
        assertThat(s.treeAfter()).containsAll(before).contains("./opt drwxr-xr-x");
        assertThat(s.treeAfter()).as("only /opt, the mount point systemd creates, was added (/run is not listed)")
                .hasSize(before.size() + 1);
    }

    @Test
    void eachEngineSeesTheOthersMergeAsAlreadyMerged() {
        Layout l = layout("both");
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.NATIVE).after("echo '## systemd'; " + Lab.command(
                Lab.Run.of(Lab.Engine.SYSTEMD), "merge") + " 2>&1; echo \"rc=$?\""));
        assertThat(s.extra()).as("%s", s).contains("Hierarchy '/usr' is already merged.").contains("rc=1");
        Layout m = layout("both2");
        Snapshot t = Lab.run(m, Lab.Run.of(Lab.Engine.SYSTEMD).after("echo '## native'; " + Lab.command(
                Lab.Run.of(Lab.Engine.NATIVE), "merge") + " 2>&1; echo \"rc=$?\""));
        assertThat(t.extra()).as("%s", t).contains("Hierarchy '/usr' is already merged").contains("rc=1");
    }

    @Test
    void refreshByOneEngineReplacesTheOthersMerge() {
        Layout l = layout("refresh");
        Snapshot s = Lab.run(l, Lab.Run.of(Lab.Engine.SYSTEMD).after("echo '## refresh'; " + Lab.command(
                Lab.Run.of(Lab.Engine.NATIVE), "refresh") + " 2>&1; echo \"rc=$?\"; grep -c ' - overlay sysext ' "
                + "/proc/self/mountinfo; echo '## systemd refresh'; " + Lab.command(Lab.Run.of(Lab.Engine.SYSTEMD),
                "refresh") + " 2>&1; echo \"rc=$?\"; grep -c ' - overlay sysext ' /proc/self/mountinfo"));
        assertThat(s.extra()).as("%s", s).contains("Unmerged '" + l.root() + "/usr'.")
                .contains("Merged extensions into '" + l.root() + "/usr'.").doesNotContain("rc=1");
        assertThat(s.extra().split("\n")).as("%s", s).filteredOn(x -> x.matches("\\d+")).containsExactly("2", "2");
    }

    private static List<String> tree(Layout l) {
        return dev.sysextctl.testing.Shell.run("sh", "-c", "cd '" + l.root() + "' && find . -printf '%p %M\\n' | sort")
                .assertSuccess().stdout().lines().toList();
    }
}
