package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.StagedEntry;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.tree.EntryType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts every archive entry at its place in the sysext ({@link Relocation}): entries already under {@code usr/} win a
 * collision, then {@code bin}/{@code lib}, then {@code sbin}/{@code lib64} (and a moved {@code usr/sbin}); top-level
 * alias links are dropped, {@code etc/} and other tops are dropped with a finding, a non-directory that would hide
 * a directory of the node is dropped, and each {@code usr/sbin} move is reported.
 */
final class RelocateEntriesStep implements PlanStep {
    /** Paths where a non-directory in the image would hide a directory of the node when merged. */
    static final Set<String> HOST_DIRECTORIES = Set.of("usr", "opt", "usr/bin", "usr/sbin", "usr/lib", "usr/lib32",
            "usr/lib64", "usr/libx32", "usr/libexec", "usr/share", "usr/include", "usr/local", "usr/src",
            "usr/lib/systemd", "usr/lib/systemd/system", "usr/lib/systemd/user", "usr/lib/systemd/network",
            "usr/lib/sysusers.d", "usr/lib/tmpfiles.d", "usr/lib/udev", "usr/lib/udev/rules.d",
            "usr/lib/extension-release.d", "usr/lib/modules", "usr/lib/firmware", "usr/share/doc",
            "usr/share/man");

    @Override
    public void apply(PlanDraft d) {
        List<StagedEntry> entries = new ArrayList<>(d.archive().entries());
        entries.sort(Comparator.comparingInt((StagedEntry e) -> d.priority(e.path())));
        Map<String, List<String>> dropped = new LinkedHashMap<>();
        Map<String, Integer> moved = new TreeMap<>();
        for (StagedEntry e : entries) {
            String path = e.path();
            if (path.isEmpty()) {
                continue;
            }
            Relocation.Placement placement = Relocation.placement(path);
            switch (placement) {
                case CONSUMED -> {
                    continue;
                }
                case ETC, OUTSIDE -> {
                    dropped.computeIfAbsent(Relocation.top(path), k -> new ArrayList<>()).add(path);
                    continue;
                }
                default -> {
                }
            }
            if (placement == Relocation.Placement.MOVE && Relocation.isAliasName(path)
                    && e.type() != EntryType.DIRECTORY) {
                d.change(ConversionChange.Kind.ALIAS_DROPPED, path, path + " -> " + e.entry().linkTarget()
                        + " is a top-level alias; its content is merged into " + Relocation.relocate(path).orElseThrow()
                        + " instead");
                continue;
            }
            String dest = d.destination(path).orElseThrow();
            if (e.type() != EntryType.DIRECTORY && HOST_DIRECTORIES.contains(dest)) {
                d.warn(ConversionRules.SHADOWING, dest, "the archive has a " + e.type().jsonName() + " at " + path
                        + " (" + dest + " in the sysext): merged, it would hide the node's /" + dest + " directory; "
                        + "dropped", "ship content inside the directory instead of replacing it");
                continue;
            }
            if (placement == Relocation.Placement.MOVE) {
                moved.merge(Relocation.top(path), 1, Integer::sum);
            }
            if (PlanDraft.isUsrSbin(path) && !dest.equals(path) && e.type() != EntryType.DIRECTORY) {
                d.sbinMoves().put(path, dest);
                d.change(ConversionChange.Kind.SBIN_MOVED, dest, path + " moved to " + dest
                        + " (a real usr/sbin hides the node's usr/sbin -> bin link; --keep-sbin keeps it)");
            }
            place(d, dest, e);
        }
        moved.forEach((top, n) -> d.change(ConversionChange.Kind.RELOCATED, top,
                top + "/ -> " + Relocation.relocate(top).orElseThrow() + "/ (" + n + " entries)"));
        dropped.forEach((top, paths) -> {
            String sample = String.join(", ", paths.subList(0, Math.min(3, paths.size())))
                    + (paths.size() > 3 ? ", ..." : "");
            String what = top + (paths.size() > 1 ? " (" + paths.size() + " entries: " + sample + ")" : "");
            if (top.equals("etc")) {
                d.finding(LintRule.ETC_CONTENT.finding(top, what + " is under etc/, which systemd-sysext does "
                        + "not merge; dropped from the image"));
            } else {
                d.warn(ConversionRules.DROPPED, top, what + " is outside usr/ and opt/ (and not bin/, sbin/, lib/, "
                        + "lib64/); a sysext cannot carry it, dropped",
                        "move it under usr/ in the image, or ship it another way (confext, Ignition)");
            }
            d.change(ConversionChange.Kind.DROPPED, top, what + " dropped");
        });
    }

    private static void place(PlanDraft d, String dest, StagedEntry e) {
        Map<String, PlannedEntry> plan = d.entries();
        PlannedEntry existing = plan.get(dest);
        PlannedEntry fresh = new PlannedEntry(e.entry().withPath(dest), d.content(e), e.path(),
                PlannedEntry.Origin.ARCHIVE);
        if (existing == null) {
            plan.put(dest, fresh);
            d.placedFrom().put(e.path(), dest);
            return;
        }
        boolean oldDir = existing.entry().type() == EntryType.DIRECTORY;
        boolean newDir = e.type() == EntryType.DIRECTORY;
        if (oldDir && newDir) {
            d.placedFrom().put(e.path(), dest);
            if (Relocation.isAliasName(e.path())) {
                d.change(ConversionChange.Kind.MERGED, dest, e.path() + "/ merged with " + existing.origin()
                        + "/ into " + dest + "/");
            }
            return;
        }
        if (!oldDir && newDir) {
            plan.put(dest, fresh);
            d.placedFrom().put(e.path(), dest);
            d.placedFrom().remove(existing.origin());
            d.collision(dest, e.path(), existing.origin(), "the directory " + e.path() + " wins over the "
                    + existing.entry().type().jsonName() + " " + existing.origin());
            return;
        }
        d.collision(dest, e.path(), existing.origin(), existing.origin() + " is kept, " + e.path() + " ("
                + e.type().jsonName() + ") is dropped");
    }
}
