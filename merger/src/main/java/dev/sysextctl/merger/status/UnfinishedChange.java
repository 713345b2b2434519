package dev.sysextctl.merger.status;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.fs.ScratchOwner;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A merge, refresh or unmerge under way: {@code /run/sysextctl.unfinished} in the root names the action, the
 * process ({@link ScratchOwner}) and when it started. It is written before the first mount changes and removed
 * when the action ends, whether it succeeds or fails. A refresh detaches the old overlay before it mounts the new
 * one (as systemd-sysext does: an overlay cannot be detached from under a newer one stacked on the same mount
 * point), so a process killed in between leaves the hierarchy unmerged: then the marker stays, its process is
 * gone, and {@code status} says that the last change did not finish ({@link #note}). {@code /run} is gone at reboot,
 * and so is the marker, when the boot merges again.
 */
public final class UnfinishedChange {
    public static final String PATH = "/run/sysextctl.unfinished";

    private UnfinishedChange() {
    }

    /** Records that {@code action} starts now, in this process. */
    public static void begin(Node node, MergeAction action) throws OperationFailedException {
        AtomicFiles.writeString(node.resolve(PATH), action.verb() + " " + ScratchOwner.self().token() + " "
                + Instant.now().getEpochSecond() + "\n", true);
    }

    /** The action ended (done or failed cleanly): removes the record. */
    public static void end(Node node) {
        try {
            Files.deleteIfExists(node.resolve(PATH));
        } catch (IOException | OperationFailedException e) {
            // best effort: a record whose process is gone only makes status say so, and the next change removes it
        }
    }

    /**
     * What {@code status} says about the record: a change still running, or one whose process died before it
     * finished (the merge may be missing); empty when there is none.
     */
    public static Optional<String> note(Node node) {
        String text;
        try {
            Path p = node.resolve(PATH);
            if (!Files.isRegularFile(p) || Files.size(p) > 4096) {
                return Optional.empty();
            }
            text = Files.readString(p, StandardCharsets.UTF_8).trim();
        } catch (IOException | OperationFailedException | RuntimeException e) {
            return Optional.empty();
        }
        String[] f = text.split(" ");
        if (f.length != 3 || !f[0].matches("merge|refresh|unmerge")) {
            return Optional.empty();
        }
        Optional<ScratchOwner> owner = ScratchOwner.parseToken(f[1]);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        String when;
        try {
            when = Instant.ofEpochSecond(Long.parseLong(f[2])).toString();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
        if (!owner.get().isGone()) {
            return Optional.of("a " + f[0] + " is under way (pid " + owner.get().pid() + ", since " + when + ")");
        }
        return Optional.of("the last " + f[0] + " (pid " + owner.get().pid() + ", " + when + ") did not finish: "
                + "the process ended between unmounting the old merge and mounting the new one, so the hierarchy may "
                + "lack its extensions; run 'sysextctl refresh'");
    }
}
