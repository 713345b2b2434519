package dev.sysextctl.core.image.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Squashfs images made by the real mksquashfs through the access layer: a node's raw image is read in the JVM
 * only when the kernel would mount it as it is (else it goes to the mount policy), and a file a command was given
 * is read by unsquashfs where the Java reader cannot (lzo) only when the policy allows tools.
 */
@Requires(tools = {"mksquashfs", "unsquashfs"})
class ImageAccessIT {
    private static final List<String> HIERARCHIES = List.of("/usr", "/opt");

    @TempDir
    static Path tmp;
    static Path src;

    @BeforeAll
    static void tree() throws IOException {
        src = tmp.resolve("src");
        Path rel = src.resolve("usr/lib/extension-release.d/extension-release.hello");
        Files.createDirectories(rel.getParent());
        Files.writeString(rel, "ID=_any\n");
        Files.createDirectories(src.resolve("usr/bin"));
        Files.writeString(src.resolve("usr/bin/hello"), "#!/bin/sh\necho hello, odd-sized\n");
    }

    private static Path mksquashfs(String name, String... options) {
        Path image = tmp.resolve(name);
        List<String> argv = new ArrayList<>(List.of("mksquashfs", src.toString(), image.toString(), "-noappend",
                "-quiet", "-no-progress", "-all-root"));
        argv.addAll(List.of(options));
        Shell.run(argv).assertSuccess();
        return image;
    }

    @Test
    void aNodesSquashfsImageIsReadInTheJvmOnlyWhenTheKernelWouldMountItAsItIs() throws Exception {
        Path padded = mksquashfs("padded.raw");
        Path unpadded = mksquashfs("unpadded.raw", "-nopad");
        Path lzma = mksquashfs("lzma.raw", "-comp", "lzma");
        assertThat(Files.size(padded) % 512).isZero();
        assertThat(Files.size(unpadded) % 512).as("an unpadded image loses its tail on a loop device").isNotZero();
        ImageAccessTest.RecordingMounts mounts = new ImageAccessTest.RecordingMounts();
        mounts.answers.put(unpadded, "short read");
        mounts.answers.put(lzma, "unknown compression");
        List<ImageRequest> rq = List.of(
                ImageRequest.entry(padded, ImageType.RAW, "hello", AccessPolicy.USERSPACE),
                ImageRequest.entry(unpadded, ImageType.RAW, "hello", AccessPolicy.USERSPACE),
                ImageRequest.entry(lzma, ImageType.RAW, "hello", AccessPolicy.USERSPACE));

        List<ImageInspection> in = new ImageAccess(null, mounts).inspectAll(rq, SystemdVersion.V252, HIERARCHIES);

        assertThat(mounts.calls).containsExactly(List.of(
                new MountPolicy.Mountable(rq.get(1), ImageFormat.SQUASHFS),
                new MountPolicy.Mountable(rq.get(2), ImageFormat.SQUASHFS)));
        ImageInspection.Readable read = (ImageInspection.Readable) in.get(0);
        assertThat(read.release().found()).isTrue();
        assertThat(read.hierarchies()).containsOnlyKeys("/usr");
        assertThat(in.get(1)).isEqualTo(new ImageInspection.Unreadable(ImageFormat.SQUASHFS,
                "cannot be mounted: short read", "Failed to read metadata for image hello: short read"));
    }

    @Test
    void unsquashfsReadsWhatTheJavaReaderCannotOnlyWhenThePolicyAllowsTools() throws Exception {
        Path lzo = mksquashfs("lzo.raw", "-comp", "lzo");
        ImageAccess access = new ImageAccess(NativeTools.system());
        try (ImageAccessResult.Opened withTool = access.open(ImageRequest.file(lzo, AccessPolicy.USERSPACE_OR_TOOL))
                .opened();
                ImageAccessResult.Opened javaOnly = access.open(ImageRequest.file(lzo, AccessPolicy.USERSPACE))
                        .opened()) {
            assertThat(withTool.format()).isEqualTo(ImageFormat.SQUASHFS);
            assertThat(new String(withTool.fs().read("usr/bin/hello"))).contains("odd-sized");
            assertThat(((SquashfsImageFs) withTool.fs()).fallbackReason()).isPresent();
            assertThatThrownBy(() -> javaOnly.fs().read("usr/bin/hello"))
                    .isInstanceOf(OperationFailedException.class).hasMessageContaining("lzo");
        }
    }
}
