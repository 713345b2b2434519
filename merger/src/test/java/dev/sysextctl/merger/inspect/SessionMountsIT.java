package dev.sysextctl.merger.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.image.access.MountPolicy;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.merger.lab.Ext;
import dev.sysextctl.merger.mount.MountTable;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.Workspace;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SessionMounts} with the real mount: no mount point exists beforehand (not even the workspace's
 * {@code extensions} directory); the {@code mount -a} tables, run at the same time, and the mount of an image that
 * fails there, run on its own, make them (mode 0755) and mount each image where it belongs.
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare"})
class SessionMountsIT {
    @TempDir
    Path tmp;

    @Test
    void theMountsMakeTheirMountPointsThemselves() throws Exception {
        List<String> names = List.of("a", "b", "c", "d", "e", "f", "with space", "grüße");
        List<MountPolicy.Mountable> images = new ArrayList<>();
        for (String name : names) {
            Path image = Ext.named(name).squashfs(tmp.resolve(name + ".raw"));
            images.add(new MountPolicy.Mountable(ImageRequest.entry(image, ImageType.RAW, name,
                    AccessPolicy.MOUNTED), ImageFormat.SQUASHFS));
        }
        Path dir = Ext.named("dir").tree(tmp.resolve("dir tree"));
        images.add(new MountPolicy.Mountable(ImageRequest.entry(dir, ImageType.DIRECTORY, "dir",
                AccessPolicy.MOUNTED), ImageFormat.DIRECTORY));
        Path junk = Files.write(tmp.resolve("junk.raw"), new byte[8192]);
        images.add(new MountPolicy.Mountable(ImageRequest.entry(junk, ImageType.RAW, "junk", AccessPolicy.MOUNTED),
                ImageFormat.SQUASHFS));

        try (NamespaceSession s = NamespaceSession.open(NativeTools.system().mounter(), Mounter.Propagation.SLAVE)) {
            assertThat(s.view(Workspace.ROOT + "/extensions")).doesNotExist();
            List<MountPolicy.Mount> r = new SessionMounts(s, rq -> Workspace.extension(rq.name())).mount(images);

            MountTable mounts = s.mounts();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                assertThat(r.get(i)).as(name).isInstanceOf(MountPolicy.Mounted.class);
                assertThat(mounts.top(Path.of(Workspace.extension(name))).fsType()).as(name).isEqualTo("squashfs");
                assertThat(Files.readString(((MountPolicy.Mounted) r.get(i)).tree()
                        .resolve("usr/share/sysext-test").resolve(name))).isEqualTo(name);
            }
            assertThat(r.get(names.size())).isInstanceOf(MountPolicy.Mounted.class);
            assertThat(mounts.top(Path.of(Workspace.extension("dir"))).options()).startsWith("ro");
            try (var tables = Files.list(s.view(Workspace.SCRATCH))) {
                List<Path> fstabs = tables.filter(f -> f.getFileName().toString().startsWith("fstab-")).toList();
                assertThat(fstabs).as("the mount -a tables").isNotEmpty();
                for (Path f : fstabs) {
                    assertThat(Files.readAllLines(f)).as(f.toString())
                            .allMatch(l -> l.split(" ")[3].endsWith(",X-mount.mkdir"));
                }
            }
            assertThat(mounts.entries()).as("no X- option reaches the mount table")
                    .noneMatch(e -> e.options().contains("X-mount") || e.superOptions().contains("X-mount"));
            // the failed image: its own mount's message; its mount point made all the same
            assertThat(r.get(names.size() + 1)).isInstanceOf(MountPolicy.Failed.class);
            assertThat(((MountPolicy.Failed) r.get(names.size() + 1)).message()).isNotBlank();
            assertThat(s.view(Workspace.extension("junk"))).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    s.view(Workspace.ROOT + "/extensions")))).isEqualTo("rwxr-xr-x");
        }
    }
}
