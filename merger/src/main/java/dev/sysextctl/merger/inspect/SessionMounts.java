package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.Gpt;
import dev.sysextctl.core.image.ddi.GptPartition;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.image.access.MountPolicy;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.merger.mount.MountStep;
import dev.sysextctl.merger.mount.NamespaceSession;
import dev.sysextctl.merger.mount.StepResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Mounts images the way systemd-sysext does, for the image-access layer: each one read-only in a
 * {@link NamespaceSession} (raw images through a loop device, a DDI's data partition through one at the partition's
 * offset, directories and block devices as they are), all of
 * one call in one run of the session's helper; the mounted trees are read through {@code /proc/PID/root}. The
 * mounts stay for the session's lifetime, ready to become overlay layers.
 */
public final class SessionMounts implements MountPolicy {
    private final Mounter mounter;
    private final Mounter.Propagation propagation;
    private final Function<ImageRequest, String> mountPath;
    private NamespaceSession session;

    /** Mounts in {@code session}; {@code mountPath} says where each image goes in the namespace. */
    public SessionMounts(NamespaceSession session, Function<ImageRequest, String> mountPath) {
        this.mounter = null;
        this.propagation = session.propagation();
        this.mountPath = mountPath;
        this.session = session;
    }

    /** Opens a session with {@code propagation} when the first image is to be mounted (none: no session). */
    public SessionMounts(Mounter mounter, Mounter.Propagation propagation, Function<ImageRequest, String> mountPath) {
        this.mounter = mounter;
        this.propagation = propagation;
        this.mountPath = mountPath;
    }

    /** The session the images are mounted in; null when none was needed. */
    public NamespaceSession session() {
        return session;
    }

    @Override
    public List<Mount> mount(List<Mountable> images) throws OperationFailedException {
        if (session == null) {
            session = NamespaceSession.open(mounter, propagation);
        }
        session.ready();
        List<MountStep> steps = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        Map<Integer, String> unmountable = new HashMap<>();
        for (Mountable m : images) {
            String target = mountPath.apply(m.request());
            try {
                steps.add(mountStep("m" + targets.size(), m.request(), m.format(), target));
            } catch (OperationFailedException ex) {
                unmountable.put(targets.size(), ex.getMessage());
            }
            targets.add(target);
        }
        Map<String, StepResult> results = session.mountAll(steps);
        List<Mount> out = new ArrayList<>(images.size());
        for (int i = 0; i < targets.size(); i++) {
            if (unmountable.containsKey(i)) {
                out.add(new Failed(unmountable.get(i)));
                continue;
            }
            StepResult r = results.get("m" + i);
            out.add(r.succeeded() ? new Mounted(session.view(targets.get(i)), null) : new Failed(r.message()));
        }
        return out;
    }

    /**
     * The mount of one image at {@code target}. Every mount carries {@link #MKDIR}: mount makes the mount point (and
     * the directories above it, mode 0755) itself, as it mounts, instead of sysextctl making each one beforehand
     * through {@code /proc/PID/root} (50 directories took 55-100 ms of a merge at load 11); the mount is the same, and
     * libmount keeps {@code X-} options out of the mount table.
     */
    static MountStep mountStep(String id, ImageRequest rq, ImageFormat f, String target)
            throws OperationFailedException {
        String src = rq.path().toString();
        return switch (rq.type()) {
            case DIRECTORY, SUBVOLUME -> MountStep.of(id, "mount", "--bind", "-o", "ro," + MKDIR, src, target);
            case BLOCK -> f.mountType()
                    .map(t -> MountStep.of(id, "mount", "-t", t, "-o", "ro," + MKDIR, src, target))
                    .orElse(MountStep.of(id, "mount", "-o", "ro," + MKDIR, src, target));
            case RAW -> f == ImageFormat.GPT ? ddiStep(id, rq, target)
                    : MountStep.of(id, "mount", "-t", f.mountType().orElseThrow(), "-o", "ro,loop," + MKDIR, src,
                            target);
        };
    }

    /** libmount's option that makes the mount point, with its parents, before mounting (mount(8), util-linux 2.30+). */
    static final String MKDIR = "X-mount.mkdir";

    /**
     * A DDI's data partition (of this machine's architecture, else the first: docs/ddi.md §5), mounted read-only
     * from a loop device over the partition alone ({@code offset=}, {@code sizelimit=}), with the file system
     * found in it; its verity data unused (the image policy decided that before: docs/ddi.md §7).
     */
    static MountStep ddiStep(String id, ImageRequest rq, String target) throws OperationFailedException {
        DdiImage ddi = DdiImage.open(rq.path());
        String type = switch (ddi.fileSystem()) {
            case EROFS -> "erofs";
            case SQUASHFS -> "squashfs";
            case UNKNOWN -> throw new OperationFailedException(rq.path() + " is a DDI whose " + ddi.data().name()
                    + " partition holds neither squashfs nor erofs; rebuild it with one of those");
        };
        GptPartition p = ddi.data();
        return MountStep.of(id, "mount", "-t", type, "-o", "ro,loop,offset=" + p.offset(Gpt.SECTOR) + ",sizelimit="
                + p.size(Gpt.SECTOR) + "," + MKDIR, rq.path().toString(), target);
    }
}
