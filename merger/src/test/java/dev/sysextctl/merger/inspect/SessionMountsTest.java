package dev.sysextctl.merger.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.image.ddi.DdiWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact mount command for each kind of node image; a DDI's data partition through a loop at its offset. */
class SessionMountsTest {
    @TempDir
    Path tmp;

    /** A DDI around 8 blocks whose first bytes say erofs (the magic at 1024) or nothing known. */
    private Path ddi(String name, boolean erofs) throws Exception {
        byte[] fs = new byte[8 * 4096];
        if (erofs) {
            ByteBuffer.wrap(fs).order(ByteOrder.LITTLE_ENDIAN).putInt(1024, 0xE0F5E1E2);
        }
        Files.write(tmp.resolve(name + ".fs"), fs);
        DdiWriter.write(tmp.resolve(name + ".fs"), tmp.resolve(name), "x86-64", new UUID(1, 2), null);
        return tmp.resolve(name);
    }

    @Test
    void aDdiIsMountedFromALoopDeviceOverItsRootPartitionWithTheFileSystemInIt() throws Exception {
        Path image = ddi("app.raw", true);
        ImageRequest rq = ImageRequest.entry(image, ImageType.RAW, "app", AccessPolicy.MOUNTED);
        assertThat(SessionMounts.mountStep("m0", rq, ImageFormat.GPT, "/run/x").argv()).containsExactly("mount",
                "-t", "erofs", "-o", "ro,loop,offset=20480,sizelimit=32768,X-mount.mkdir", image.toString(), "/run/x");
        Path squashfs = tmp.resolve("sq.raw");
        ImageRequest bare = ImageRequest.entry(squashfs, ImageType.RAW, "sq", AccessPolicy.MOUNTED);
        assertThat(SessionMounts.mountStep("m1", bare, ImageFormat.SQUASHFS, "/run/y").argv()).isEqualTo(List.of(
                "mount", "-t", "squashfs", "-o", "ro,loop,X-mount.mkdir", squashfs.toString(), "/run/y"));
    }

    /** mount makes each mount point as it mounts (X-mount.mkdir): sysextctl makes none of them beforehand. */
    @Test
    void everyMountMakesItsOwnMountPoint() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tree"));
        ImageRequest d = ImageRequest.entry(dir, ImageType.DIRECTORY, "tree", AccessPolicy.MOUNTED);
        assertThat(SessionMounts.mountStep("m0", d, ImageFormat.DIRECTORY, "/run/d").argv()).containsExactly("mount",
                "--bind", "-o", "ro,X-mount.mkdir", dir.toString(), "/run/d");
        ImageRequest b = ImageRequest.entry(Path.of("/dev/sdz1"), ImageType.BLOCK, "blk", AccessPolicy.MOUNTED);
        assertThat(SessionMounts.mountStep("m1", b, ImageFormat.EROFS, "/run/b").argv()).containsExactly("mount",
                "-t", "erofs", "-o", "ro,X-mount.mkdir", "/dev/sdz1", "/run/b");
    }

    @Test
    void aDdiWhosePartitionHoldsNoKnownFileSystemIsNotMounted() throws Exception {
        Path image = ddi("odd.raw", false);
        ImageRequest rq = ImageRequest.entry(image, ImageType.RAW, "odd", AccessPolicy.MOUNTED);
        assertThatThrownBy(() -> SessionMounts.mountStep("m0", rq, ImageFormat.GPT, "/run/x"))
                .isInstanceOf(OperationFailedException.class)
                .hasMessage(image + " is a DDI whose root-x86-64 partition holds neither squashfs nor erofs; rebuild "
                        + "it with one of those");
    }
}
