package dev.sysextctl.merger.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.ImageState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status and list without root: markers read from disk, directory images read without mounting. */
class StatusAndListTest {
    @TempDir
    Path root;

    @Test
    void statusReportsEveryHierarchyAndAStaleMarker() throws Exception {
        Files.createDirectories(root.resolve("usr/.systemd-sysext"));
        Files.writeString(root.resolve("usr/.systemd-sysext/dev"), "0:1\n");
        List<HierarchyStatus> s = StatusReader.read(Node.open(root, null, Map.of()));
        assertThat(s).extracting(HierarchyStatus::hierarchy).containsExactly("/opt", "/usr");
        assertThat(s.get(0).exists()).isFalse();
        assertThat(s.get(1).merged()).isFalse();
        assertThat(s.get(1).note()).contains("offline copy");
    }

    @Test
    void listReadsDirectoryImagesWithoutRoot() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Ext.named("a").tree(root.resolve("etc/extensions/a"));
        Ext.named("a").tree(root.resolve("var/lib/extensions/a"));
        Ext.named("fed").release("ID=fedora\n").tree(root.resolve("var/lib/extensions/fed"));
        Files.createDirectories(root.resolve("var/lib/extensions/m"));
        NativeTools tools = NativeTools.system();
        ImageList list = ImageLister.list(Node.open(root, null, Map.of()), tools.mounter(), tools.unsquashfs(), false);
        assertThat(list.readBy()).isEqualTo("userspace");
        assertThat(list.images()).extracting(i -> i.name() + ":" + i.state().jsonName() + ":" + i.compatible())
                .containsExactlyInAnyOrder("a:active:true", "a:shadowed:true", "fed:active:false", "m:masked:false");
        ListedImage fed = list.images().stream().filter(i -> i.name().equals("fed")).findFirst().orElseThrow();
        assertThat(fed.rule()).isEqualTo("os-id");
        assertThat(fed.reason()).contains("ID=fedora is not the target's ID=debian");
        assertThat(list.images()).filteredOn(i -> i.state() == ImageState.SHADOWED).singleElement()
                .extracting(ListedImage::shadowedBy).isEqualTo("/etc/extensions/a");
    }
}
