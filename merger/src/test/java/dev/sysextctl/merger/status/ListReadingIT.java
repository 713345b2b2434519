package dev.sysextctl.merger.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.process.RunningProcess;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.lab.Layout;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code list} as root reads directories and squashfs images in userspace and mounts only the rest: what it says
 * about every kind of image, good or broken, is exactly what mounting every image says; and with nothing else to
 * read it starts no namespace (no process at all).
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "mkfs.erofs", "setfattr"})
class ListReadingIT {
    private static final String E = "/etc/extensions";

    @TempDir
    Path tmp;

    @Test
    void readingInUserspaceTellsWhatMountingEveryImageTells() throws Exception {
        Layout l = Layout.create(tmp.resolve("root"));
        squashfs(l, "gz", Ext.named("gz").file("usr/bin/gz", "gz"), List.of());
        squashfs(l, "xz", Ext.named("xz").file("opt/xz/bin", "xz"), List.of("-comp", "xz"));
        squashfs(l, "zs", Ext.named("zs").file("usr/lib/zs", "zs"), List.of("-comp", "zstd"));
        squashfs(l, "l4", Ext.named("l4").file("usr/lib/l4", "l4"), List.of("-comp", "lz4"));
        squashfs(l, "lzo", Ext.named("lzo").file("usr/lib/lzo", "lzo"), List.of("-comp", "lzo"));
        squashfs(l, "lzma", Ext.named("lzma").file("usr/lib/lzma", "lzma"), List.of("-comp", "lzma"));
        squashfs(l, "nopad", Ext.named("nopad").file("usr/lib/nopad", "x".repeat(777)), List.of("-nopad"));
        squashfs(l, "strict", Ext.bare("strict").noRelease().releaseFile("extension-release.other", Ext.DEBIAN_12, "0")
                .file("usr/lib/strict", "s"), List.of());
        squashfs(l, "twice", Ext.bare("twice").noRelease().releaseFile("extension-release.one", Ext.DEBIAN_12, "0")
                .releaseFile("extension-release.two", Ext.DEBIAN_12, "false"), List.of());
        squashfs(l, "osrel", Ext.named("osrel").file("usr/lib/os-release", "ID=debian\n"), List.of());
        squashfs(l, "etcos", Ext.bare("etcos").noRelease().file("etc/os-release", "ID=debian\n").file("usr/lib/e", "e"),
                List.of());
        squashfs(l, "norel", Ext.bare("norel").noRelease().file("usr/lib/n", "n"), List.of());
        squashfs(l, "fed", Ext.named("fed").release("ID=fedora\n").file("usr/lib/f", "f"), List.of());
        squashfs(l, "linked", Ext.named("linked").symlink("usr/lib/x", "/usr/lib/y").dir("opt/empty"), List.of());
        squashfs(l, "noh", Ext.named("noh").dir("usr/share/empty"), List.of("-no-xattrs"));
        Path corrupt = squashfs(l, "corrupt", Ext.named("corrupt").file("usr/lib/c", "c"), List.of("-noI"));
        byte[] b = Files.readAllBytes(corrupt);
        ByteBuffer sb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long root = sb.getLong(32);
        b[(int) (sb.getLong(64) + (root >>> 16) + 2 + (root & 0xffff))] = 77; // the root inode's type
        Files.write(corrupt, b);
        Path truncated = squashfs(l, "cut", Ext.named("cut").file("usr/lib/c", "c"), List.of());
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(truncated), 300));
        Ext.named("ero").file("usr/lib/ero", "e").erofs(l.path(E + "/ero.raw"));
        Ext.named("dir").file("usr/lib/dir", "d").tree(l.path("/var/lib/extensions/dir"));
        l.mkdirs("/opt/images").mkdirs("/var/lib/extensions");
        Ext.named("far").file("usr/lib/far", "f").squashfs(l.path("/opt/images/far.raw"));
        l.link(E, "far.raw", "/opt/images/far.raw");
        Ext.named("gz").file("usr/bin/gz", "older").squashfs(l.path("/var/lib/extensions/gz.raw"));
        l.file(E, "junk.raw", new byte[] {1, 2, 3}).file(E, "empty.raw", new byte[0]).emptyDir(E, "masked");

        Node node = Node.open(l.root(), null, Map.of());
        NativeTools tools = NativeTools.system();
        String mounted = rows(node, tools.mounter(), NodeSnapshot.Reading.MOUNT_ALL);
        String userspace = rows(node, tools.mounter(), NodeSnapshot.Reading.MOUNT_WHERE_NEEDED);
        assertThat(userspace).isEqualTo(mounted);
        assertThat(mounted).contains("gz active true", "xz active true", "zs active true", "l4 active true",
                "lzo active true", "lzma broken", "nopad broken", "strict active true", "twice broken",
                "osrel broken", "etcos active false", "fed active false", "corrupt broken", "cut broken",
                "ero active true", "far active true", "dir active true", "gz shadowed", "junk broken", "empty broken",
                "masked masked", "norel broken", "linked active true", "noh active true");
    }

    @Test
    void squashfsAndDirectoryImagesAloneNeedNoNamespace() throws Exception {
        Layout l = Layout.create(tmp.resolve("root"));
        for (int i = 0; i < 20; i++) {
            squashfs(l, "ext" + i, Ext.named("ext" + i).file("usr/lib/f" + i, "f"), List.of("-comp", i % 2 == 0
                    ? "gzip" : "zstd"));
        }
        Ext.named("dir").tree(l.path("/var/lib/extensions/dir"));
        l.file(E, "junk.raw", new byte[] {1, 2, 3});
        Node node = Node.open(l.root(), null, Map.of());
        String noMounts = rows(node, new NoNamespaces(), NodeSnapshot.Reading.MOUNT_WHERE_NEEDED);
        assertThat(noMounts).isEqualTo(rows(node, NativeTools.system().mounter(), NodeSnapshot.Reading.MOUNT_ALL));
        assertThat(noMounts).contains("ext0 active true", "ext19 active true", "dir active true", "junk broken");
    }

    private static Path squashfs(Layout l, String name, Ext ext, List<String> options) throws Exception {
        Path file = l.path(E + "/" + name + ".raw");
        Files.createDirectories(file.getParent());
        Path tree = ext.tree(l.path("/tmp/tree-" + name));
        List<String> argv = new ArrayList<>(List.of("mksquashfs", tree.toString(), file.toString(), "-noappend",
                "-all-root", "-quiet", "-no-progress"));
        argv.addAll(options);
        Shell.run(argv).assertSuccess();
        return file;
    }

    /** Every row of {@code list}, as JSON, and a summary line per image. */
    private static String rows(Node node, Mounter mounter, NodeSnapshot.Reading reading) throws Exception {
        StringBuilder out = new StringBuilder();
        try (NodeSnapshot snap = NodeSnapshot.read(node, mounter, null, reading, e -> true)) {
            for (var a : snap.assessments) {
                ListedImage row = ListedImage.of(a, false);
                out.append(row.name()).append(' ').append(row.state().jsonName()).append(' ').append(row.compatible())
                        .append('\n').append(Json.write(row).replaceAll("/dev/loop[0-9]+", "/dev/loopN")).append('\n');
            }
        }
        return out.toString();
    }

    /** A mounter that fails the test if anything asks it for a namespace or a mount. */
    private static final class NoNamespaces implements Mounter {
        @Override
        public RunningProcess namespaceShell(Propagation propagation) throws OperationFailedException {
            throw new AssertionError("a namespace was started");
        }

        @Override
        public void unmountDetached(Path mountPoint) throws OperationFailedException {
            throw new AssertionError("something was unmounted");
        }
    }
}
