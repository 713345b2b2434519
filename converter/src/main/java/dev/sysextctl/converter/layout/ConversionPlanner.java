package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.StagedArchive;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import java.io.IOException;
import java.util.List;

/**
 * Turns a staged torcx archive into the entries of a sysext (see {@link Relocation} for where things go) by running
 * {@link #STEPS} in order over one {@link PlanDraft}: rejected entries are reported; the manifest is read; entries
 * are relocated and merged (entries already under {@code usr/} win a collision, then {@code bin}/{@code lib}, then
 * {@code sbin}/{@code lib64}); the manifest places {@code bin} entries in {@code usr/bin} and units, networkd files,
 * tmpfiles, sysusers and udev rules where systemd reads them in {@code /usr} (like torcx's propagation into
 * {@code /run}, never overwriting); links into {@code /run/torcx/…} and relative links broken by the move are
 * retargeted; hard links follow their targets; units, drop-ins and text files lose their torcx references and ELF
 * runpaths into {@code /run/torcx/unpack/NAME} are patched in place; {@code *.wants/} and {@code *.requires/} links
 * become {@code Upholds=} drop-ins (the sysext-bakery convention); missing parents are added; what works differently
 * in a sysext is warned about. Unless told to keep it, {@code usr/sbin/} is moved into {@code usr/bin/} (a real
 * {@code usr/sbin} directory hides the node's {@code usr/sbin -> bin} link) and units and links naming a moved file
 * follow it; absolute links into {@code /usr} and {@code /opt} become relative, so they resolve the same merged,
 * under {@code --root} and unpacked. Staged blobs may be patched in place (they are the converter's private copies).
 */
public final class ConversionPlanner {
    /** The passes, in the order they run; each reads what the earlier ones left in the draft. */
    static final List<PlanStep> STEPS = List.of(new RejectedEntriesStep(), new ReadManifestStep(),
            new RelocateEntriesStep(), new ManifestPlacementStep(), new RetargetLinksStep(), new HardlinksStep(),
            new RewriteContentsStep(), new UpholdsDropInsStep(), new ParentDirectoriesStep(),
            new PlacementWarningsStep());

    private ConversionPlanner() {
    }

    /**
     * Plans the conversion of {@code archive} for image {@code name} (the name torcx unpacked it under, which
     * its {@code /run/torcx/unpack/NAME} references use).
     */
    public static ConversionPlan plan(StagedArchive archive, String name) throws SysextctlException {
        return plan(archive, name, false);
    }

    /**
     * {@link #plan(StagedArchive, String)}, keeping {@code usr/sbin/} where it is when {@code keepSbin} (else its
     * content moves to {@code usr/bin/}, each move reported).
     */
    public static ConversionPlan plan(StagedArchive archive, String name, boolean keepSbin)
            throws SysextctlException {
        PlanDraft draft = new PlanDraft(archive, name, keepSbin);
        try {
            for (PlanStep step : STEPS) {
                step.apply(draft);
            }
        } catch (IOException e) {
            throw new OperationFailedException("cannot convert " + archive.archive().getFileName() + ": "
                    + AtomicFiles.describe(e) + "; check the temporary directory (disk space, permissions)");
        }
        return draft.toPlan();
    }
}
