package dev.sysextctl.merger.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainerTest {
    @TempDir
    Path root;

    @Test
    void similarNamesForTypos() {
        assertThat(Explainer.similar("dcoker", Set.of("docker", "tools", "docker-compose"))).containsExactly("docker");
        assertThat(Explainer.similar("Docker", Set.of("docker"))).containsExactly("docker");
        assertThat(Explainer.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void explainsShadowingAndMaskingWithoutRoot() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Files.createDirectories(root.resolve("etc/extensions/m"));
        Ext.named("m").tree(root.resolve("var/lib/extensions/m"));
        Ext.named("d").tree(root.resolve("var/lib/extensions/d"));
        NativeTools tools = NativeTools.system();
        Node n = Node.open(root, null, Map.of());
        Explanation m = Explainer.explain(n, "m", tools.mounter(), tools.unsquashfs(), false);
        assertThat(m.state()).isEqualTo("not-merged");
        assertThat(m.summary()).contains("masked");
        assertThat(m.entries()).extracting(e -> e.path()).containsExactly("/etc/extensions/m",
                "/var/lib/extensions/m");
        Explanation d = Explainer.explain(n, "d", tools.mounter(), tools.unsquashfs(), false);
        assertThat(d.state()).isEqualTo("will-merge");
        assertThat(d.releaseFile()).isEqualTo("usr/lib/extension-release.d/extension-release.d");
        assertThat(d.hierarchies()).containsExactly("/usr");
        assertThat(d.overridesNote()).contains("run as root");
    }
}
