package dev.sysextctl.core.image.access;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.DirectoryImageFs;
import dev.sysextctl.core.image.ErofsImageFs;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ddi.DdiImageFs;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.SquashfsImageFs;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.image.squashfs.SquashfsImage;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tools.Unsquashfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one way sysextctl opens an image, whatever the caller and the format. An {@link ImageRequest} names the
 * path and the {@link AccessPolicy}; the answer is an {@link ImageAccessResult}: the image opened as an
 * {@link ImageFileSystem}, or why it is not ({@link ImageAccessResult.Unreadable},
 * {@link ImageAccessResult.NeedsRoot}). For a node's images {@link #inspectAll} reads what systemd-sysext reads
 * ({@link ImageInspection}).
 *
 * <p>What an image holds is told by {@link ImageFormat#detect}; how each format is opened is decided in one
 * place, {@link #dispatch}: a new kind of image is a new format there and a case here. Mounting is not done
 * here: an access given a {@link MountPolicy} hands it what the request asks to mount
 * ({@link AccessPolicy#MOUNTED}) and what userspace cannot read; without one, such images are answered
 * {@link ImageAccessResult.NeedsRoot}.
 */
public final class ImageAccess {
    /** A loop device has whole 512-byte sectors: the tail of a file of another size is not on the device. */
    private static final long SECTOR = 512;

    private final NativeTools tools;
    private final Unsquashfs unsquashfs;
    private final MountPolicy mounts;

    /** Opens images in userspace with these tools (unsquashfs is made only when a squashfs image needs it). */
    public ImageAccess(NativeTools tools) {
        this.tools = tools;
        this.unsquashfs = null;
        this.mounts = null;
    }

    /**
     * @param unsquashfs for {@link AccessPolicy#USERSPACE_OR_TOOL}
     * @param mounts how to mount; null: images that need a mount are answered {@link ImageAccessResult.NeedsRoot}
     */
    public ImageAccess(Unsquashfs unsquashfs, MountPolicy mounts) {
        this.tools = null;
        this.unsquashfs = unsquashfs;
        this.mounts = mounts;
    }

    /** Opens one image; the caller closes the answer. */
    public ImageAccessResult open(ImageRequest request) throws OperationFailedException {
        return openAll(List.of(request)).get(0);
    }

    /**
     * Opens every image and answers in the given order (the caller closes the answers); what needs mounting is
     * mounted in one call of the {@link MountPolicy}.
     *
     * @throws OperationFailedException only when mounting cannot be tried at all (a bad image is an answer)
     */
    public List<ImageAccessResult> openAll(List<ImageRequest> requests) throws OperationFailedException {
        ImageAccessResult[] out = new ImageAccessResult[requests.size()];
        List<Integer> toMount = new ArrayList<>();
        List<MountPolicy.Mountable> batch = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            ImageAccessResult r = inUserspace(requests.get(i));
            if (r instanceof ImageAccessResult.NeedsRoot && mounts != null) {
                toMount.add(i);
                batch.add(mountable(r));
            } else {
                out[i] = r;
            }
        }
        List<MountPolicy.Mount> mounted = batch.isEmpty() ? List.of() : mounts.mount(batch);
        for (int k = 0; k < batch.size(); k++) {
            MountPolicy.Mountable m = batch.get(k);
            MountPolicy.Mount result = mounted.get(k);
            out[toMount.get(k)] = result instanceof MountPolicy.Mounted ok ? opened(m, ok)
                    : mountFailed(m, (MountPolicy.Failed) result);
        }
        return Arrays.asList(out);
    }

    /**
     * Reads each image of a node the way systemd-sysext does ({@link ImageInspector}) for systemd {@code v} and the
     * node's {@code hierarchies}, and answers in the given order. Under {@link AccessPolicy#USERSPACE} an image
     * that cannot be read in userspace is mounted when this access can mount: its outcome and messages are then
     * the mount's.
     */
    public List<ImageInspection> inspectAll(List<ImageRequest> requests, SystemdVersion v, List<String> hierarchies)
            throws OperationFailedException {
        return inspectAll(requests, v, hierarchies, ExtensionClass.SYSEXT);
    }

    /** {@link #inspectAll(List, SystemdVersion, List)} for images of class {@code cls} (a node's confexts). */
    public List<ImageInspection> inspectAll(List<ImageRequest> requests, SystemdVersion v, List<String> hierarchies,
            ExtensionClass cls) throws OperationFailedException {
        ImageInspection[] out = new ImageInspection[requests.size()];
        List<Integer> toMount = new ArrayList<>();
        List<MountPolicy.Mountable> batch = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            ImageRequest rq = requests.get(i);
            ImageAccessResult r = inUserspace(rq);
            if (r instanceof ImageAccessResult.NeedsRoot && mounts != null) {
                toMount.add(i);
                batch.add(mountable(r));
            } else if (r instanceof ImageAccessResult.Opened o) {
                try (o) {
                    out[i] = ImageInspector.inspect(o.fs(), rq.name(), rq.type(), o.format(), v, hierarchies, cls);
                } catch (OperationFailedException ex) {
                    if (rq.policy() == AccessPolicy.USERSPACE && mounts != null) {
                        toMount.add(i);
                        batch.add(new MountPolicy.Mountable(rq, o.format()));
                    } else {
                        out[i] = unreadableInUserspace(rq, o.format(), ex);
                    }
                }
            } else {
                out[i] = inspection(r);
            }
        }
        List<MountPolicy.Mount> mounted = batch.isEmpty() ? List.of() : mounts.mount(batch);
        List<Callable<ImageInspection>> reads = new ArrayList<>(batch.size());
        for (int k = 0; k < batch.size(); k++) {
            MountPolicy.Mountable m = batch.get(k);
            MountPolicy.Mount result = mounted.get(k);
            reads.add(result instanceof MountPolicy.Mounted ok ? () -> inspectMounted(m, ok, v, hierarchies, cls)
                    : () -> inspection(mountFailed(m, (MountPolicy.Failed) result)));
        }
        List<ImageInspection> read = readAll(reads);
        for (int k = 0; k < batch.size(); k++) {
            out[toMount.get(k)] = read.get(k);
        }
        return Arrays.asList(out);
    }

    /** How many mounted images are read at once ({@link #readAll}). */
    static final int READ_WIDTH = 4;

    /**
     * Runs the reads of mounted images, up to {@value #READ_WIDTH} at a time when there are several, and answers in
     * their order. Each read is a handful of small files and directories, and a freshly mounted image serves them
     * through its loop device's kernel worker: mostly waiting, which several reads in flight overlap.
     */
    static List<ImageInspection> readAll(List<Callable<ImageInspection>> reads) {
        List<ImageInspection> out = new ArrayList<>(reads.size());
        if (reads.size() < 2) {
            for (Callable<ImageInspection> r : reads) {
                out.add(call(r));
            }
            return out;
        }
        int width = Math.min(READ_WIDTH, reads.size());
        ExecutorService pool = Executors.newFixedThreadPool(width, r -> {
            Thread t = new Thread(r, "sysextctl-image-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ImageInspection>> futures = new ArrayList<>(reads.size());
            for (Callable<ImageInspection> r : reads) {
                futures.add(pool.submit(() -> call(r)));
            }
            for (Future<ImageInspection> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the mounted images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static ImageInspection call(Callable<ImageInspection> r) {
        try {
            return r.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a node image read in userspace is when reading it failed. */
    private static ImageInspection unreadableInUserspace(ImageRequest rq, ImageFormat f, OperationFailedException ex) {
        if (rq.policy() == AccessPolicy.USERSPACE) {
            return new ImageInspection.NeedsRoot(f, "cannot be read in userspace (" + ex.getMessage()
                    + "); it is mounted to be read, which needs root");
        }
        return new ImageInspection.Unreadable(f, "cannot be read: " + ex.getMessage(),
                rq.type() == ImageType.DIRECTORY ? null : ImageInspector.undissectable(rq.name()));
    }

    private static ImageInspection inspectMounted(MountPolicy.Mountable m, MountPolicy.Mounted ok, SystemdVersion v,
            List<String> hierarchies, ExtensionClass cls) {
        ImageRequest rq = m.request();
        try (ImageAccessResult.Opened o = opened(m, ok)) {
            return ImageInspector.inspect(o.fs(), rq.name(), rq.type(), m.format(), v, hierarchies, cls);
        } catch (OperationFailedException ex) {
            return new ImageInspection.Unreadable(m.format(), "cannot be read once mounted: " + ex.getMessage(), null);
        }
    }

    private static ImageInspection inspection(ImageAccessResult r) {
        if (r instanceof ImageAccessResult.Unreadable u) {
            return new ImageInspection.Unreadable(u.format(), u.reason(), u.systemdError());
        }
        if (r instanceof ImageAccessResult.NeedsRoot n) {
            return new ImageInspection.NeedsRoot(n.format(), n.reason());
        }
        throw new IllegalStateException("an opened image is inspected, not converted");
    }

    private static MountPolicy.Mountable mountable(ImageAccessResult needsRoot) {
        return new MountPolicy.Mountable(needsRoot.request(), needsRoot.format());
    }

    private static ImageAccessResult.Opened opened(MountPolicy.Mountable m, MountPolicy.Mounted ok) {
        return new ImageAccessResult.Opened(m.request(), m.format(), DirectoryImageFs.readOnlyMount(ok.tree()),
                ok.release());
    }

    private static ImageAccessResult.Unreadable mountFailed(MountPolicy.Mountable m, MountPolicy.Failed f) {
        ImageRequest rq = m.request();
        return new ImageAccessResult.Unreadable(rq, m.format(), "cannot be mounted: " + f.message(),
                rq.type() == ImageType.DIRECTORY ? null
                        : "Failed to read metadata for image " + rq.name() + ": " + f.message());
    }

    /** The request answered without mounting: opened in userspace, refused, or {@code NeedsRoot} (to be mounted). */
    private ImageAccessResult inUserspace(ImageRequest rq) {
        // A raw node image read in the JVM only is tried as squashfs first: one open of the file tells both.
        SquashfsImage squashfs = rq.policy() == AccessPolicy.USERSPACE && rq.type() == ImageType.RAW
                ? javaSquashfs(rq) : null;
        if (squashfs != null) {
            return dispatch(rq, ImageFormat.SQUASHFS, squashfs);
        }
        ImageFormat f;
        if (rq.type() == ImageType.DIRECTORY || rq.type() == ImageType.SUBVOLUME) {
            f = ImageFormat.DIRECTORY;
        } else {
            try {
                f = ImageFormat.detect(rq.path());
            } catch (IOException e) {
                if (!rq.onNode()) {
                    return new ImageAccessResult.Unreadable(rq, ImageFormat.UNKNOWN, "cannot read " + rq.path() + ": "
                            + AtomicFiles.describe(e) + "; check the permissions", null, true);
                }
                f = ImageFormat.UNKNOWN;
            }
        }
        return dispatch(rq, f, null);
    }

    /**
     * How each format is opened: the one place that knows. {@code squashfs} is the image already opened by the
     * Java reader (or null).
     */
    private ImageAccessResult dispatch(ImageRequest rq, ImageFormat f, SquashfsImage squashfs) {
        boolean node = rq.onNode();
        boolean mount = rq.policy() == AccessPolicy.MOUNTED;
        boolean raw = rq.type() == ImageType.RAW;
        return switch (f) {
            case DIRECTORY -> mount ? needsMount(rq, f) : opened(rq, f, new DirectoryImageFs(rq.path()));
            case SQUASHFS -> mount ? needsMount(rq, f) : squashfs(rq, squashfs);
            case EROFS -> mount || node ? needsMount(rq, f) : opened(rq, f, new ErofsImageFs(rq.path()));
            case EXT4, BTRFS -> mount || node ? needsMount(rq, f) : unreadable(rq, f, rq.path() + " is a "
                    + f.jsonName() + " image, which sysextctl cannot read without mounting; use squashfs or erofs");
            case GPT -> mount || node && !raw ? needsMount(rq, f) : ddi(rq, f);
            case EMPTY -> node && raw ? refused(rq, f, "an empty file, not an image; rebuild it or remove the entry",
                    ImageInspector.undissectable(rq.name()))
                    : node || mount ? needsMount(rq, f)
                    : unreadable(rq, f, rq.path() + " is an empty file, not an image; rebuild it (systemd-sysext "
                            + "fails the whole merge on it)");
            case UNKNOWN -> node && raw ? refused(rq, f, "not a squashfs, erofs or file-system image (unrecognised "
                    + "content); rebuild it or remove the entry", ImageInspector.undissectable(rq.name()))
                    : node || mount ? needsMount(rq, f)
                    : unreadable(rq, f, rq.path() + " is not an image: no squashfs, erofs or GPT signature; give a "
                            + "file made by 'sysextctl build' (or mksquashfs, mkfs.erofs) or a directory");
        };
    }

    /**
     * A squashfs image: in a node's view under {@link AccessPolicy#USERSPACE}, read in the JVM only when it is a
     * raw image the kernel would mount; otherwise by the Java reader, with unsquashfs behind it when the policy
     * allows tools.
     */
    private ImageAccessResult squashfs(ImageRequest rq, SquashfsImage javaReader) {
        if (rq.policy() == AccessPolicy.USERSPACE && rq.onNode()) {
            if (javaReader != null && kernelMounts(javaReader)) {
                return opened(rq, ImageFormat.SQUASHFS, SquashfsImageFs.of(javaReader));
            }
            if (javaReader != null) {
                javaReader.close();
            }
            return needsMount(rq, ImageFormat.SQUASHFS);
        }
        if (rq.policy() == AccessPolicy.USERSPACE) {
            return opened(rq, ImageFormat.SQUASHFS, SquashfsImageFs.withoutFallback(rq.path()));
        }
        return opened(rq, ImageFormat.SQUASHFS, new SquashfsImageFs(rq.path(), unsquashfs()));
    }

    private Unsquashfs unsquashfs() {
        return tools != null ? tools.unsquashfs() : unsquashfs;
    }

    /** The raw image opened by the Java squashfs reader, or null when it is not one it reads. */
    private static SquashfsImage javaSquashfs(ImageRequest rq) {
        try {
            return SquashfsImage.open(rq.path());
        } catch (OperationFailedException ex) {
            return null;
        }
    }

    /**
     * Whether the kernel would mount it through a loop device: a compressor it has, and a file system that ends
     * within the device (a file whose size is not a multiple of 512 loses its tail; {@code mksquashfs -nopad}).
     */
    static boolean kernelMounts(SquashfsImage image) {
        long device = image.fileSize() / SECTOR * SECTOR;
        return image.compression().kernelMountable() && image.superblock().bytesUsed() <= device;
    }

    /** A DDI read in userspace: its GPT, the root partition of its architecture and the file system inside. */
    private static ImageAccessResult ddi(ImageRequest rq, ImageFormat f) {
        try {
            return opened(rq, f, DdiImageFs.open(rq.path()));
        } catch (OperationFailedException e) {
            return unreadable(rq, f, e.getMessage());
        }
    }

    private static ImageAccessResult opened(ImageRequest rq, ImageFormat f, ImageFileSystem fs) {
        return new ImageAccessResult.Opened(rq, f, fs, null);
    }

    private static ImageAccessResult unreadable(ImageRequest rq, ImageFormat f, String reason) {
        return new ImageAccessResult.Unreadable(rq, f, reason, null);
    }

    /** A node image systemd-sysext cannot use: {@code systemdError} is what 252 aborts the merge with (or null). */
    private static ImageAccessResult refused(ImageRequest rq, ImageFormat f, String reason, String systemdError) {
        return new ImageAccessResult.Unreadable(rq, f, reason, systemdError);
    }

    private static ImageAccessResult needsMount(ImageRequest rq, ImageFormat f) {
        String what = rq.onNode() ? f.jsonName() + " " + rq.type().systemdName() : f.jsonName();
        return new ImageAccessResult.NeedsRoot(rq, f, "a " + what + " image: reading it needs root (it is mounted "
                + "to be read); run as root");
    }
}
