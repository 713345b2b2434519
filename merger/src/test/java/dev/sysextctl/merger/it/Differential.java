package dev.sysextctl.merger.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.merger.lab.Lab;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.lab.Snapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs one layout through the real systemd-sysext 252 and through the native engine, each on its own copy of
 * the root in its own private mount namespace, and compares what they merged.
 */
final class Differential {
    private Differential() {
    }

    /** The two runs of one scenario. */
    record Pair(Snapshot systemd, Snapshot nativeRun, Path systemdRoot, Path nativeRoot) {
        @Override
        public String toString() {
            return "=== systemd-sysext ===\n" + systemd.transcript() + "\n=== native ===\n" + nativeRun.transcript();
        }
    }

    static Pair run(Path tmp, String id, Consumer<Layout> build, UnaryOperator<Lab.Run> settings) {
        return run(tmp, id, build, settings, Lab.Mode.ROOT);
    }

    static Pair run(Path tmp, String id, Consumer<Layout> build, UnaryOperator<Lab.Run> settings, Lab.Mode mode) {
        Layout a = Layout.create(tmp.resolve(id + "-systemd"));
        if (mode == Lab.Mode.CHROOT) {
            a.chrootable();
        }
        build.accept(a);
        Layout b = a.copyTo(tmp.resolve(id + "-native"));
        Snapshot s = Lab.run(a, settings.apply(Lab.Run.of(Lab.Engine.SYSTEMD).mode(mode)));
        Snapshot n = Lab.run(b, settings.apply(Lab.Run.of(Lab.Engine.NATIVE).mode(mode)));
        return new Pair(s, n, a.root(), b.root());
    }

    /**
     * Both engines merged the same: same exit status, same merged hierarchies, the same overlay layers in the same
     * order, the same {@code extensions} markers, a {@code dev} marker that matches the mount in each, the same
     * content at every probed path, the same systemd log lines; and after the unmerge, no sysext mount left and
     * the same tree.
     */
    static void assertSame(Pair p) {
        Snapshot s = p.systemd();
        Snapshot n = p.nativeRun();
        assertThat(n.rc()).as("exit code\n%s", p).isEqualTo(s.rc());
        assertThat(n.mergedHierarchies()).as("merged hierarchies\n%s", p).isEqualTo(s.mergedHierarchies());
        for (String h : s.hierarchies().keySet()) {
            Snapshot.Hierarchy sh = s.h(h);
            Snapshot.Hierarchy nh = n.h(h);
            assertThat(nh.lowerDirs()).as("layers of %s\n%s", h, p).isEqualTo(sh.lowerDirs());
            assertThat(nh.stackedMounts()).as("mounts stacked on %s\n%s", h, p).isEqualTo(sh.stackedMounts());
            if (sh.mounted()) {
                assertThat(nh.extensions()).as("extensions marker of %s\n%s", h, p).isEqualTo(sh.extensions());
                assertThat(sh.dev()).as("systemd's dev marker of %s\n%s", h, p).isEqualTo(sh.stDev());
                assertThat(nh.dev()).as("native dev marker of %s\n%s", h, p).isEqualTo(nh.stDev())
                        .matches("\\d+:\\d+");
                assertThat(nh.options()).as("mount options of %s\n%s", h, p).isEqualTo(sh.options());
            }
        }
        assertThat(n.files()).as("content at the probed paths\n%s", p).isEqualTo(s.files());
        assertThat(logLines(n.output(), p.nativeRoot())).as("log lines\n%s", p)
                .isEqualTo(logLines(s.output(), p.systemdRoot()));
        assertThat(n.unmergeRc()).as("unmerge exit code\n%s", p).isEqualTo(s.unmergeRc());
        assertThat(sysextMounts(n.mountsAfter())).as("sysext mounts after unmerge\n%s", p).isEmpty();
        assertThat(sysextMounts(s.mountsAfter())).as("sysext mounts after systemd's unmerge\n%s", p).isEmpty();
        assertThat(n.mountsAfter().size()).as("other mounts after unmerge\n%s", p).isEqualTo(s.mountsAfter().size());
        assertThat(n.treeAfter()).as("the tree after unmerge\n%s", p).isEqualTo(s.treeAfter());
    }

    /** systemd's info lines (and the native engine's equivalents), root written as {@code <R>}. */
    static List<String> logLines(String output, Path root) {
        List<String> out = new ArrayList<>();
        for (String l : output.split("\n")) {
            if (l.startsWith("Using extensions") || l.startsWith("Merged extensions into")
                    || l.startsWith("Unmerged '") || l.startsWith("No extensions found")
                    || l.startsWith("No suitable extensions found")) {
                String x = l.replace(root.toString(), "<R>");
                out.add(x.replace("'/usr'", "'<R>/usr'").replace("'/opt'", "'<R>/opt'"));
            }
        }
        return out;
    }

    static List<String> sysextMounts(List<String> mountinfo) {
        return mountinfo.stream().filter(l -> l.contains(" - overlay sysext ")).toList();
    }
}
