package dev.sysextctl.core.image.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ErofsImageFs;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.SystemdVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image-access layer's dispatch: which format is opened how under which policy, what is refused with which
 * message, and what goes to the mount policy (a recording fake: mounting needs root; the real mounts are
 * exercised by the merger's ITs).
 */
class ImageAccessTest {
    private static final List<String> HIERARCHIES = List.of("/usr", "/opt");

    @TempDir
    Path tmp;

    /** Records each call and answers from its table (a tree to "mount", or the mount's error message). */
    static final class RecordingMounts implements MountPolicy {
        final List<List<Mountable>> calls = new ArrayList<>();
        final Map<Path, Object> answers = new HashMap<>();
        final List<Path> released = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public List<Mount> mount(List<Mountable> images) {
            calls.add(List.copyOf(images));
            List<Mount> out = new ArrayList<>();
            for (Mountable m : images) {
                Object a = answers.get(m.request().path());
                Path source = m.request().path();
                out.add(a instanceof Path tree ? new Mounted(tree, () -> released.add(source))
                        : new Failed(String.valueOf(a)));
            }
            return out;
        }
    }

    private Path file(String name, int size, int at, byte... magic) throws IOException {
        byte[] b = new byte[size];
        System.arraycopy(magic, 0, b, at, magic.length);
        return Files.write(tmp.resolve(name), b);
    }

    private Path empty(String name) throws IOException {
        return Files.write(tmp.resolve(name), new byte[0]);
    }

    private Path erofs(String name) throws IOException {
        return file(name, 4096, 1024, (byte) 0xE2, (byte) 0xE1, (byte) 0xF5, (byte) 0xE0);
    }

    private Path gpt(String name) throws IOException {
        return file(name, 4096, 512, "EFI PART".getBytes(StandardCharsets.US_ASCII));
    }

    private Path ext4(String name) throws IOException {
        return file(name, 4096, 1080, (byte) 0x53, (byte) 0xEF);
    }

    private Path tree(String name, String release, String... files) throws IOException {
        Path d = tmp.resolve(name);
        Files.createDirectories(d);
        if (release != null) {
            Path r = d.resolve("usr/lib/extension-release.d/extension-release." + release);
            Files.createDirectories(r.getParent());
            Files.writeString(r, "ID=_any\n");
        }
        for (String f : files) {
            Files.createDirectories(d.resolve(f).getParent());
            Files.writeString(d.resolve(f), "x");
        }
        return d;
    }

    private static ImageAccess userspace() {
        return new ImageAccess(null, null);
    }

    @Test
    void aFileThatIsNoImageIsAnsweredWithTheReasonAndWhatToDo() throws Exception {
        Path e = empty("e.raw");
        Path junk = file("junk.raw", 100, 0, (byte) 1);
        Path g = gpt("g.raw");
        Path x = ext4("x.raw");
        List<ImageAccessResult> r = userspace().openAll(List.of(
                ImageRequest.file(e, AccessPolicy.USERSPACE_OR_TOOL), ImageRequest.file(junk, AccessPolicy.USERSPACE),
                ImageRequest.file(g, AccessPolicy.USERSPACE_OR_TOOL), ImageRequest.file(x, AccessPolicy.USERSPACE)));
        assertThat(r).allMatch(a -> a instanceof ImageAccessResult.Unreadable);
        assertThat(r).extracting(ImageAccessResult::format).containsExactly(ImageFormat.EMPTY, ImageFormat.UNKNOWN,
                ImageFormat.GPT, ImageFormat.EXT4);
        assertThat(((ImageAccessResult.Unreadable) r.get(0)).reason()).isEqualTo(e + " is an empty file, not an "
                + "image; rebuild it (systemd-sysext fails the whole merge on it)");
        assertThat(((ImageAccessResult.Unreadable) r.get(1)).reason()).isEqualTo(junk + " is not an image: no "
                + "squashfs, erofs or GPT signature; give a file made by 'sysextctl build' (or mksquashfs, mkfs.erofs) "
                + "or a directory");
        // a DDI is read by the DDI reader (core/image/ddi): a GPT signature without a valid header is its verdict
        assertThat(((ImageAccessResult.Unreadable) r.get(2)).reason()).isEqualTo(g + " is not a readable DDI: its "
                + "primary GPT header claims 0 bytes; rebuild it (sysextctl build --format ddi or systemd-repart "
                + "--make-ddi=sysext)");
        assertThat(((ImageAccessResult.Unreadable) r.get(3)).reason()).isEqualTo(x + " is a ext4 image, which "
                + "sysextctl cannot read without mounting; use squashfs or erofs");
        assertThat(r).extracting(a -> ((ImageAccessResult.Unreadable) a).systemdError()).containsOnlyNulls();
        assertThatThrownBy(() -> r.get(0).opened()).isInstanceOf(OperationFailedException.class)
                .hasMessage(((ImageAccessResult.Unreadable) r.get(0)).reason());
    }

    @Test
    void aFileThatDoesNotExistIsAUsageError() {
        Path missing = tmp.resolve("missing.raw");
        assertThatThrownBy(() -> ImageRequest.file(missing, AccessPolicy.USERSPACE_OR_TOOL))
                .isInstanceOf(UsageException.class)
                .hasMessage(missing + " does not exist; give the path of an image file or directory");
    }

    @Test
    void aGivenDirectoryOrErofsFileIsOpenedInUserspace() throws Exception {
        Path d = tree("hello", "hello", "usr/bin/hello");
        Path e = erofs("e.raw");
        try (ImageAccessResult dir = userspace().open(ImageRequest.file(d, AccessPolicy.USERSPACE_OR_TOOL));
                ImageAccessResult ero = userspace().open(ImageRequest.file(e, AccessPolicy.USERSPACE))) {
            assertThat(dir.format()).isEqualTo(ImageFormat.DIRECTORY);
            assertThat(dir.opened().fs()).isInstanceOf(DirectoryImageFs.class);
            assertThat(dir.opened().fs().read("usr/bin/hello")).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
            assertThat(ero.format()).isEqualTo(ImageFormat.EROFS);
            assertThat(ero.opened().fs()).isInstanceOf(ErofsImageFs.class);
        }
    }

    @Test
    void aNodesRawImageSystemdCannotDissectIsRefusedWithSystemdsError() throws Exception {
        List<ImageAccessResult> r = userspace().openAll(List.of(
                ImageRequest.entry(empty("e.raw"), ImageType.RAW, "e", AccessPolicy.USERSPACE_OR_TOOL),
                ImageRequest.entry(file("junk.raw", 10, 0, (byte) 1), ImageType.RAW, "junk", AccessPolicy.USERSPACE)));
        assertThat(r).allMatch(a -> a instanceof ImageAccessResult.Unreadable);
        ImageAccessResult.Unreadable e = (ImageAccessResult.Unreadable) r.get(0);
        assertThat(e.reason()).isEqualTo("an empty file, not an image; rebuild it or remove the entry");
        assertThat(e.systemdError()).isEqualTo("Failed to read metadata for image e: Package not installed");
        ImageAccessResult.Unreadable junk = (ImageAccessResult.Unreadable) r.get(1);
        assertThat(junk.reason()).isEqualTo("not a squashfs, erofs or file-system image (unrecognised content); "
                + "rebuild it or remove the entry");
        assertThat(junk.systemdError()).isEqualTo("Failed to read metadata for image junk: Package not installed");
    }

    @Test
    void aNodesDdiIsReadInUserspaceAndMountedOnlyWhenTheRequestAsksForIt() throws Exception {
        Path g = gpt("g.raw");
        List<ImageAccessResult> r = userspace().openAll(List.of(
                ImageRequest.entry(g, ImageType.RAW, "g", AccessPolicy.USERSPACE),
                ImageRequest.entry(g, ImageType.RAW, "g", AccessPolicy.MOUNTED)));
        // read as a DDI (this one has a signature and nothing behind it), not refused as a kind of image
        assertThat(((ImageAccessResult.Unreadable) r.get(0)).reason()).startsWith(g + " is not a readable DDI: ");
        assertThat(r.get(1)).isInstanceOf(ImageAccessResult.NeedsRoot.class);
        assertThat(r.get(1).format()).isEqualTo(ImageFormat.GPT);
    }

    @Test
    void withoutAMountPolicyANodeImageThatMustBeMountedNeedsRoot() throws Exception {
        ImageRequest rq = ImageRequest.entry(erofs("e.raw"), ImageType.RAW, "e", AccessPolicy.USERSPACE_OR_TOOL);
        ImageAccessResult r = userspace().open(rq);
        assertThat(r).isInstanceOf(ImageAccessResult.NeedsRoot.class);
        assertThat(((ImageAccessResult.NeedsRoot) r).reason())
                .isEqualTo("a erofs raw image: reading it needs root (it is mounted to be read); run as root");
        assertThat(userspace().inspectAll(List.of(rq), SystemdVersion.V252, HIERARCHIES))
                .containsExactly(new ImageInspection.NeedsRoot(ImageFormat.EROFS,
                        "a erofs raw image: reading it needs root (it is mounted to be read); run as root"));
    }

    @Test
    void mountedPolicyMountsEveryImageItCanInOneCallInOrder() throws Exception {
        RecordingMounts mounts = new RecordingMounts();
        Path dir = tree("d", "d", "usr/bin/d");
        Path ero = erofs("e.raw");
        Path bad = ext4("x.raw");
        mounts.answers.put(dir, dir);
        mounts.answers.put(ero, tree("e-mounted", null, "usr/lib/os-release", "opt/e"));
        mounts.answers.put(bad, "wrong fs type, bad option");
        List<ImageRequest> rq = List.of(ImageRequest.entry(dir, ImageType.DIRECTORY, "d", AccessPolicy.MOUNTED),
                ImageRequest.entry(empty("n.raw"), ImageType.RAW, "n", AccessPolicy.MOUNTED),
                ImageRequest.entry(ero, ImageType.RAW, "e", AccessPolicy.MOUNTED),
                ImageRequest.entry(bad, ImageType.RAW, "x", AccessPolicy.MOUNTED));
        List<ImageInspection> in = new ImageAccess(null, mounts).inspectAll(rq, SystemdVersion.V252, HIERARCHIES);

        assertThat(mounts.calls).hasSize(1);
        assertThat(mounts.calls.get(0)).containsExactly(new MountPolicy.Mountable(rq.get(0), ImageFormat.DIRECTORY),
                new MountPolicy.Mountable(rq.get(2), ImageFormat.EROFS),
                new MountPolicy.Mountable(rq.get(3), ImageFormat.EXT4));
        assertThat(mounts.released).containsExactlyInAnyOrder(dir, ero); // read, and released, in parallel

        ImageInspection.Readable d = (ImageInspection.Readable) in.get(0);
        assertThat(d.release().status()).isEqualTo(ReleaseLookup.Status.FOUND);
        assertThat(d.hierarchies()).isEqualTo(Map.of("/usr", "usr"));
        assertThat(d.systemdError()).isNull();
        assertThat(in.get(1)).isInstanceOf(ImageInspection.Unreadable.class);
        ImageInspection.Readable e = (ImageInspection.Readable) in.get(2);
        assertThat(e.forbiddenOsRelease()).isTrue();
        assertThat(e.hasOsRelease()).isTrue();
        assertThat(e.release().found()).isFalse();
        assertThat(e.hierarchies()).isEqualTo(Map.of("/usr", "usr", "/opt", "opt"));
        assertThat(in.get(3)).isEqualTo(new ImageInspection.Unreadable(ImageFormat.EXT4, "cannot be mounted: wrong fs "
                + "type, bad option", "Failed to read metadata for image x: wrong fs type, bad option"));
    }

    @Test
    void userspacePolicyMountsOnlyWhatUserspaceCannotRead() throws Exception {
        RecordingMounts mounts = new RecordingMounts();
        Path dir = tree("d", "d", "usr/bin/d");
        Path ero = erofs("e.raw");
        mounts.answers.put(ero, tree("e-mounted", null, "usr/bin/e"));
        List<ImageRequest> rq = List.of(ImageRequest.entry(dir, ImageType.DIRECTORY, "d", AccessPolicy.USERSPACE),
                ImageRequest.entry(ero, ImageType.RAW, "e", AccessPolicy.USERSPACE));
        List<ImageInspection> in = new ImageAccess(null, mounts).inspectAll(rq, SystemdVersion.V252, HIERARCHIES);

        assertThat(mounts.calls).containsExactly(List.of(new MountPolicy.Mountable(rq.get(1), ImageFormat.EROFS)));
        assertThat(((ImageInspection.Readable) in.get(0)).release().found()).isTrue();
        ImageInspection.Readable e = (ImageInspection.Readable) in.get(1);
        assertThat(e.systemdError()).isEqualTo("Failed to read metadata for image e: No medium found");
    }

    @Test
    void closingAnImageOpenedByMountingReleasesTheMount() throws Exception {
        RecordingMounts mounts = new RecordingMounts();
        Path ero = erofs("e.raw");
        mounts.answers.put(ero, tree("e-mounted", "e", "usr/bin/e"));
        ImageAccessResult r = new ImageAccess(null, mounts)
                .open(ImageRequest.entry(ero, ImageType.RAW, null, AccessPolicy.USERSPACE_OR_TOOL));
        try (ImageAccessResult.Opened o = r.opened()) {
            assertThat(o.fs().lstat("usr/bin/e")).isPresent();
            assertThat(mounts.released).isEmpty();
        }
        assertThat(mounts.released).containsExactly(ero);
    }

    @Test
    void mountedImagesAreReadSeveralAtATimeAndAnsweredInOrder() throws Exception {
        int width = ImageAccess.READ_WIDTH;
        // the first `width` reads finish only when all of them have started: one after the other, the first waits in vain
        CountDownLatch started = new CountDownLatch(width);
        List<Callable<ImageInspection>> reads = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < width + 3; i++) {
            int k = i;
            expected.add("image " + k);
            reads.add(() -> {
                if (k < width) {
                    started.countDown();
                    if (!started.await(20, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("image " + k + " was read alone");
                    }
                }
                return new ImageInspection.NeedsRoot(ImageFormat.SQUASHFS, "image " + k);
            });
        }
        List<ImageInspection> out = ImageAccess.readAll(reads);
        assertThat(out).extracting(r -> ((ImageInspection.NeedsRoot) r).reason()).containsExactlyElementsOf(expected);
    }

    @Test
    void aReadThatFailsUnexpectedlyFailsTheCallAsItself() {
        List<Callable<ImageInspection>> reads = List.of(() -> new ImageInspection.NeedsRoot(ImageFormat.SQUASHFS, "a"),
                () -> {
                    throw new IllegalArgumentException("bad tree");
                });
        assertThatThrownBy(() -> ImageAccess.readAll(reads)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad tree");
    }
}
