package dev.sysextctl.merger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** enable/disable/mask/unmask of confexts on disk, with directory images (docs/compatibility.md §1.5). */
class ConfextConfigTest {
    @TempDir
    Path root;
    Node node;
    ExtensionLinks links;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\nCONFEXT_LEVEL=2\n");
        Ext.confext("site").tree(root.resolve("opt/confexts/site/site-1"));
        Ext.confext("old").release("ID=debian\nCONFEXT_LEVEL=1\n").tree(root.resolve("opt/confexts/old"));
        Ext.named("tools").tree(root.resolve("opt/extensions/tools"));
        node = Node.open(root, new SystemdVersion(257), Map.of()).forClass(ExtensionClass.CONFEXT, Map.of());
        NativeTools tools = NativeTools.system();
        links = new ExtensionLinks(tools.mounter(), tools.unsquashfs());
    }

    private ExtensionLinks.EnableRequest req(String image, boolean runtime, boolean force) {
        return new ExtensionLinks.EnableRequest(root.resolve(image.substring(1)), null, runtime, force);
    }

    @Test
    void theConfigurationDirectoriesOfConfextsAreVarLibAndRun() {
        assertThat(ExtensionConfig.configDirectory(ExtensionClass.CONFEXT)).isEqualTo("/var/lib/confexts");
        assertThat(ExtensionConfig.runtimeDirectory(ExtensionClass.CONFEXT)).isEqualTo("/run/confexts");
        assertThat(ExtensionConfig.maskDirectory(ExtensionClass.CONFEXT, "m")).isEqualTo("/var/lib/confexts/m");
        assertThat(ExtensionConfig.enableLink(ExtensionClass.CONFEXT, "m")).isEqualTo("/var/lib/confexts/m.raw");
        assertThat(ExtensionConfig.configDirectory(ExtensionClass.SYSEXT)).isEqualTo("/etc/extensions");
    }

    @Test
    void enableLinksAConfextInVarLibConfextsAndWithRuntimeInRunConfexts() throws Exception {
        ConfigChange c = links.enable(node, req("/opt/confexts/site/site-1", false, false));
        assertThat(c.name()).isEqualTo("site");
        assertThat(c.created()).containsExactly("/var/lib/confexts/site");
        assertThat(Files.readSymbolicLink(root.resolve("var/lib/confexts/site")))
                .isEqualTo(Path.of("../../../opt/confexts/site/site-1"));
        assertThat(root.resolve("etc/extensions")).doesNotExist();
        assertThat(links.disable(node, "site", false).removed()).containsExactly("/var/lib/confexts/site");
        assertThat(links.enable(node, req("/opt/confexts/site/site-1", true, false)).created())
                .containsExactly("/run/confexts/site");
    }

    @Test
    void enableChecksTheConfextReleaseAndLevel() {
        assertThatThrownBy(() -> links.enable(node, req("/opt/extensions/tools", false, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("etc/extension-release.d")
                .hasMessageContaining("systemd-confext");
        assertThatThrownBy(() -> links.enable(node, req("/opt/confexts/old", false, false)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("CONFEXT_LEVEL=1");
        assertThat(root.resolve("var/lib/confexts")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }

    @Test
    void maskIsAnEmptyDirectoryInVarLibConfextsAndNotesAnImageInRunThatStillWins() throws Exception {
        ConfigChange m = Masks.mask(node, "site");
        assertThat(m.created()).containsExactly("/var/lib/confexts/site");
        assertThat(root.resolve("var/lib/confexts/site")).isEmptyDirectory();
        assertThat(Masks.isOurs(root.resolve("var/lib/confexts/site"))).isTrue();
        assertThat(m.notes()).isEmpty();
        assertThat(Masks.unmask(node, "site").removed()).containsExactly("/var/lib/confexts/site");
        Ext.confext("site").tree(root.resolve("run/confexts/site"));
        ConfigChange again = Masks.mask(node, "site");
        assertThat(again.notes()).containsExactly("/run/confexts/site is read before /var/lib/confexts/site and "
                + "still provides 'site' (until the next boot for /run/confexts); disable it with --runtime");
    }

    @Test
    void maskRefusesWhileAnEnablingLinkInTheSameDirectoryProvidesTheName() throws Exception {
        Files.createDirectories(root.resolve("var/lib/confexts"));
        Files.createSymbolicLink(root.resolve("var/lib/confexts/site.confext.raw"), Path.of("/opt/x.raw"));
        assertThatThrownBy(() -> Masks.mask(node, "site")).isInstanceOf(RefusedException.class)
                .hasMessageStartingWith("/var/lib/confexts/site.confext.raw provides 'site' in the same directory");
        assertThat(root.resolve("var/lib/confexts/site")).doesNotExist();
    }
}
