package dev.sysextctl.merger.plan;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.image.ddi.DdiImage;
import dev.sysextctl.core.image.ddi.ImagePolicy;
import dev.sysextctl.core.image.ddi.KernelVerity;
import dev.sysextctl.core.image.ddi.MergeAdmission;
import dev.sysextctl.core.image.ddi.VeritySidecar;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.merger.discovery.ImageEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The image policy applied to a node's image files before anything is mounted (docs/ddi.md §7): a DDI is judged by
 * {@link MergeAdmission} (its protection, the policy, whether this kernel has dm-verity), a bare squashfs or erofs
 * image as an unprotected root partition. Directories are not images to a policy. What the gate refuses is
 * {@link ImageState#REFUSED}: never mounted for merging, read in userspace for the reports.
 */
public final class PolicyGate {
    private final ImagePolicy policy;
    /** Probed when a DDI first needs it (null until then): a bare image's admission does not depend on it. */
    private KernelVerity kernel;
    private final Path root;

    /** @param policy the image policy; null: systemd-sysext's default */
    public PolicyGate(ImagePolicy policy, KernelVerity kernel) {
        this(policy, kernel, null);
    }

    /**
     * @param root the node's root, where the search directories lie: a DDI's root hash sidecar is looked for beside
     *     its entry there (docs/ddi.md §6); null: beside the image file of an entry that is not a link
     */
    public PolicyGate(ImagePolicy policy, KernelVerity kernel, Path root) {
        this.policy = policy == null ? ImagePolicy.sysextDefault() : policy;
        this.kernel = kernel;
        this.root = root;
    }

    /** The gate of this machine's kernel (probed when a DDI is judged). */
    public static PolicyGate of(ImagePolicy policy) {
        return new PolicyGate(policy, null);
    }

    /** The gate of this machine's kernel for the node at {@code root} (probed when a DDI is judged). */
    public static PolicyGate of(ImagePolicy policy, Path root) {
        return new PolicyGate(policy, null, root);
    }

    private KernelVerity kernel() {
        if (kernel == null) {
            kernel = KernelVerity.probe();
        }
        return kernel;
    }

    public ImagePolicy policy() {
        return policy;
    }

    /** The entries the policy refuses, with why; an image that cannot be read is left to the readers. */
    public Map<ImageEntry, MergeAdmission.Refused> refusals(List<ImageEntry> entries) {
        Map<ImageEntry, MergeAdmission.Refused> out = new IdentityHashMap<>();
        for (ImageEntry e : entries) {
            if (e.type() != ImageType.RAW) {
                continue;
            }
            ImageFormat f;
            try {
                f = ImageFormat.detect(e.source());
            } catch (IOException ex) {
                continue;
            }
            refuse(e, f, out);
        }
        return out;
    }

    /**
     * {@link #refusals(List)} of entries already read ({@code read}: what reading each told, its format among it),
     * without opening them again to tell their format; an entry that was not read is opened to tell it.
     */
    public Map<ImageEntry, MergeAdmission.Refused> refusals(List<ImageEntry> entries,
            Map<ImageEntry, ImageInspection> read) {
        Map<ImageEntry, MergeAdmission.Refused> out = new IdentityHashMap<>();
        for (ImageEntry e : entries) {
            ImageInspection in = read.get(e);
            if (in == null) {
                out.putAll(refusals(List.of(e)));
            } else if (e.type() == ImageType.RAW) {
                refuse(e, in.format(), out);
            }
        }
        return out;
    }

    /** Adds the refusal of raw entry {@code e} in format {@code f}, if the policy refuses it. */
    private void refuse(ImageEntry e, ImageFormat f, Map<ImageEntry, MergeAdmission.Refused> out) {
        String name = Path.of(e.path()).getFileName().toString();
        MergeAdmission.Decision d;
        try {
            if (f == ImageFormat.GPT) {
                DdiImage ddi = DdiImage.open(e.source());
                Path entry = entryFile(e);
                d = MergeAdmission.ddi(name, ddi, policy, kernel(), entry == null ? Optional.empty()
                        : VeritySidecar.find(entry, e.source(), ddi.designator()));
            } else if (f == ImageFormat.SQUASHFS || f == ImageFormat.EROFS) {
                d = MergeAdmission.bare(name, policy);
            } else {
                return;
            }
        } catch (OperationFailedException ex) {
            return;
        }
        if (d instanceof MergeAdmission.Refused r) {
            out.put(e, r);
        }
    }

    /** The entry in its search directory, on this machine; null when not known. */
    private Path entryFile(ImageEntry e) {
        if (root == null) {
            return e.isLink() ? null : e.source();
        }
        try {
            Path dir = RootedPaths.resolve(root, e.searchDir());
            return dir.resolve(Path.of(e.path()).getFileName().toString());
        } catch (IOException ex) {
            return null;
        }
    }
}
