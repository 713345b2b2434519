package dev.sysextctl.merger.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.status.NodeSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans of confext merges, read in userspace from directory images (docs/compatibility.md §4.10). */
class ConfextPlanTest {
    @TempDir
    Path root;
    Node node;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\nCONFEXT_LEVEL=2\n");
        node = Node.open(root, new SystemdVersion(257), Map.of()).forClass(ExtensionClass.CONFEXT, Map.of());
    }

    private MergePlan plan() throws Exception {
        NativeTools tools = NativeTools.system();
        try (NodeSnapshot snap = NodeSnapshot.read(node, tools.mounter(), tools.unsquashfs(),
                NodeSnapshot.Reading.USERSPACE, null)) {
            return Planner.plan(node, snap.assessments, snap.mountPath);
        }
    }

    @Test
    void confextsAreLayeredOverEtcHighestNameOnTopWithTheHostEtcLowest() throws Exception {
        Ext.confext("a").tree(root.resolve("var/lib/confexts/a"));
        Ext.confext("b").tree(root.resolve("usr/lib/confexts/b"));
        MergePlan plan = plan();
        assertThat(plan.extensions()).containsExactly("a", "b");
        assertThat(plan.hierarchies()).hasSize(1);
        HierarchyPlan etc = plan.hierarchies().get(0);
        assertThat(etc.hierarchy()).isEqualTo("/etc");
        assertThat(etc.lowerDirs()).containsExactly("/run/systemd/sysext/meta/etc",
                "/run/systemd/sysext/confexts/b/etc", "/run/systemd/sysext/confexts/a/etc",
                root.resolve("etc").toString());
    }

    @Test
    void confextsAreJudgedByTheirOwnReleaseFileAndLevel() throws Exception {
        Ext.confext("ok").tree(root.resolve("var/lib/confexts/ok"));
        Ext.confext("old").release("ID=debian\nCONFEXT_LEVEL=1\n").tree(root.resolve("var/lib/confexts/old"));
        Ext.named("sys").tree(root.resolve("var/lib/confexts/sys"));
        MergePlan plan = plan();
        assertThat(plan.extensions()).containsExactly("ok");
        Map<String, String> rules = new java.util.TreeMap<>();
        for (ImageAssessment a : plan.ignored()) {
            rules.put(a.name(), a.rule());
        }
        assertThat(rules).isEqualTo(Map.of("old", "confext-level", "sys", "no-release-data"));
        assertThat(plan.ignored().stream().filter(a -> a.name().equals("sys")).findFirst().orElseThrow().reason())
                .contains("etc/extension-release.d/extension-release.sys");
        assertThat(List.of(plan.ignoredWinners())).containsExactly(2);
    }
}
