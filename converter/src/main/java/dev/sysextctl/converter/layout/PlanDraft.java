package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.StagedArchive;
import dev.sysextctl.converter.archive.StagedEntry;
import dev.sysextctl.converter.manifest.ImageManifest;
import dev.sysextctl.converter.rewrite.TorcxReferences;
import dev.sysextctl.converter.rewrite.UnitRewriter;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.tree.EntryType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image being planned, shared by the {@link PlanStep}s that {@link ConversionPlanner} runs in order: the staged
 * archive and the options (read only), the entries planned so far by image path, where each archive path was placed,
 * the usr/sbin moves, and the changes, findings and ELF architectures collected. A step reads what earlier steps
 * left here and adds to it; nothing else is shared between steps.
 */
final class PlanDraft {
    private static final String USR_SBIN = "usr/sbin";

    private final StagedArchive archive;
    private final String name;
    private final boolean keepSbin;
    private final TorcxReferences refs;
    private final long defaultMtime;
    private final TreeMap<String, PlannedEntry> entries = new TreeMap<>();
    /** Archive path → the path its primary placement got in the image. */
    private final Map<String, String> placedFrom = new HashMap<>();
    /** Image paths under usr/sbin that were moved → their path under usr/bin. */
    private final Map<String, String> sbinMoves = new TreeMap<>();
    private final List<ConversionChange> changes = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Integer> architectures = new TreeMap<>();
    private ImageManifest manifest;

    /**
     * A draft for converting {@code archive} as image {@code name} (the name torcx unpacked it under, which its
     * {@code /run/torcx/unpack/NAME} references use), moving {@code usr/sbin} into {@code usr/bin} unless
     * {@code keepSbin}.
     */
    PlanDraft(StagedArchive archive, String name, boolean keepSbin) {
        this.archive = archive;
        this.name = name;
        this.keepSbin = keepSbin;
        this.refs = new TorcxReferences(name);
        this.defaultMtime = archive.entries().stream().mapToLong(e -> e.entry().mtime()).max().orElse(0);
    }

    StagedArchive archive() {
        return archive;
    }

    String name() {
        return name;
    }

    TorcxReferences references() {
        return refs;
    }

    /** The mtime of generated entries: the newest in the archive (0 for an empty one). */
    long defaultMtime() {
        return defaultMtime;
    }

    /** The planned entries by image path (mutable: steps add, replace and remove entries). */
    TreeMap<String, PlannedEntry> entries() {
        return entries;
    }

    /** Archive path → image path of its primary placement (mutable). */
    Map<String, String> placedFrom() {
        return placedFrom;
    }

    /** Moved {@code usr/sbin/X} → {@code usr/bin/X} (mutable). */
    Map<String, String> sbinMoves() {
        return sbinMoves;
    }

    Optional<ImageManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    void manifest(ImageManifest m) {
        this.manifest = m;
    }

    List<ConversionChange> changes() {
        return changes;
    }

    List<Finding> findings() {
        return findings;
    }

    Map<String, Integer> architectures() {
        return architectures;
    }

    void change(String kind, String path, String detail) {
        changes.add(new ConversionChange(kind, path, detail));
    }

    void finding(Finding f) {
        findings.add(f);
    }

    void warn(String id, String path, String message, String fix) {
        findings.add(ConversionRules.warning(id, path, message, fix));
    }

    /** Two entries landing on {@code dest}: a {@code torcx-collision} warning that says which one stays. */
    void collision(String dest, String a, String b, String outcome) {
        warn(ConversionRules.COLLISION, dest, a + " and " + b + " both land at " + dest + "; " + outcome,
                "remove one of them from the archive");
    }

    /** A staged entry's bytes: its staged copy, or the archive member it is streamed from; null for no file. */
    EntryContent content(StagedEntry e) {
        if (e.blob() != null) {
            return new EntryContent.Blob(e.blob());
        }
        return e.streamed() ? new EntryContent.Member(archive.archive(), e.member(), e.entry().size()) : null;
    }

    static boolean isUsrSbin(String path) {
        return path.equals(USR_SBIN) || path.startsWith(USR_SBIN + "/");
    }

    /** {@code usr/sbin[/…]} → {@code usr/bin[/…]} unless usr/sbin is kept; any other path unchanged. */
    String mergeSbin(String path) {
        return keepSbin || !isUsrSbin(path) ? path : "usr/bin" + path.substring(USR_SBIN.length());
    }

    /** Where an archive path goes in the image, or empty when it is dropped. */
    Optional<String> destination(String archivePath) {
        return Relocation.relocate(archivePath).map(this::mergeSbin);
    }

    /** {@link Relocation#priority}, with a moved usr/sbin ranking as an alias (usr/bin wins a collision). */
    int priority(String archivePath) {
        return !keepSbin && isUsrSbin(archivePath) ? 2 : Relocation.priority(archivePath);
    }

    /** The planned entries directly inside the directory {@code dir}, in path order. */
    List<PlannedEntry> childrenOf(String dir) {
        List<PlannedEntry> out = new ArrayList<>();
        String prefix = dir + "/";
        for (PlannedEntry e : entries.tailMap(prefix, true).values()) {
            if (!e.path().startsWith(prefix)) {
                break;
            }
            if (e.path().indexOf('/', prefix.length()) < 0) {
                out.add(e);
            }
        }
        return out;
    }

    /** The finished plan: entries in path order with hard links after everything else. */
    ConversionPlan toPlan() {
        List<PlannedEntry> ordered = new ArrayList<>();
        List<PlannedEntry> hardlinks = new ArrayList<>();
        for (PlannedEntry e : entries.values()) {
            (e.entry().type() == EntryType.HARDLINK ? hardlinks : ordered).add(e);
        }
        ordered.addAll(hardlinks);
        return new ConversionPlan(ordered, changes, findings, manifest(), architectures);
    }
}
