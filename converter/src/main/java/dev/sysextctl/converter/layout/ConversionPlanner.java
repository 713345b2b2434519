package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.RejectedEntry;
import dev.sysextctl.converter.archive.StagedArchive;
import dev.sysextctl.converter.archive.StagedEntry;
import dev.sysextctl.converter.elf.ElfFile;
import dev.sysextctl.converter.elf.ElfInspection;
import dev.sysextctl.converter.elf.RunpathChange;
import dev.sysextctl.converter.elf.RunpathRewriter;
import dev.sysextctl.converter.manifest.ImageManifest;
import dev.sysextctl.converter.rewrite.RewriteResult;
import dev.sysextctl.converter.rewrite.TorcxReferences;
import dev.sysextctl.converter.rewrite.UnitRewriter;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.LintRule;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a staged torcx archive into the entries of a sysext (see {@link Relocation} for where things go). In
 * order: entries are relocated and merged (entries already under {@code usr/} win a collision, then
 * {@code bin}/{@code lib}, then {@code sbin}/{@code lib64}); the manifest places {@code bin} entries in
 * {@code usr/bin} and units, networkd files, tmpfiles, sysusers and udev rules where systemd reads them in
 * {@code /usr} (like torcx's propagation into {@code /run}, never overwriting); links into
 * {@code /run/torcx/…} and relative links broken by the move are retargeted; units, drop-ins and text files
 * lose their torcx references; ELF runpaths into {@code /run/torcx/unpack/NAME} are patched in place;
 * {@code *.wants/} and {@code *.requires/} links become {@code Upholds=} drop-ins (the sysext-bakery convention).
 * Unless told to keep it, {@code usr/sbin/} is moved into {@code usr/bin/} (a real {@code usr/sbin} directory
 * hides the node's {@code usr/sbin -> bin} link) and units and links naming a moved file follow it; absolute
 * links into {@code /usr} and {@code /opt} become relative, so they resolve the same merged, under
 * {@code --root} and unpacked. Staged blobs may be patched in place (they are the converter's private copies).
 */
public final class ConversionPlanner {
    private static final int MAX_TEXT = 1 << 20;
    private static final int MAX_LINKS = 40;
    private static final String USR_SBIN = "usr/sbin";
    /** An absolute {@code /usr/sbin/NAME} in unit text, not part of a longer path. */
    private static final Pattern USR_SBIN_WORD = Pattern.compile("(?<![\\w./-])/usr/sbin/([\\w.+@-]+)");
    private static final Pattern WANTS_DIR = Pattern.compile(
            "(usr/lib/systemd/(?:system|user))/([^/]+)\\.(wants|requires)");
    /** Paths where a non-directory in the image would hide a directory of the node when merged. */
    static final Set<String> HOST_DIRECTORIES = Set.of("usr", "opt", "usr/bin", "usr/sbin", "usr/lib", "usr/lib32",
            "usr/lib64", "usr/libx32", "usr/libexec", "usr/share", "usr/include", "usr/local", "usr/src",
            "usr/lib/systemd", "usr/lib/systemd/system", "usr/lib/systemd/user", "usr/lib/systemd/network",
            "usr/lib/sysusers.d", "usr/lib/tmpfiles.d", "usr/lib/udev", "usr/lib/udev/rules.d",
            "usr/lib/extension-release.d", "usr/lib/modules", "usr/lib/firmware", "usr/share/doc",
            "usr/share/man");

    private final StagedArchive archive;
    private final String name;
    private final boolean keepSbin;
    /** Image paths under usr/sbin that were moved → their path under usr/bin. */
    private final Map<String, String> sbinMoves = new TreeMap<>();
    private final TorcxReferences refs;
    private final UnitRewriter unitRewriter;
    private final TreeMap<String, PlannedEntry> plan = new TreeMap<>();
    /** Archive path → the path its primary placement got in the image. */
    private final Map<String, String> placedFrom = new HashMap<>();
    private final List<ConversionChange> changes = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Integer> architectures = new TreeMap<>();
    private final long defaultMtime;
    private ImageManifest manifest;

    private ConversionPlanner(StagedArchive archive, String name, boolean keepSbin) {
        this.archive = archive;
        this.name = name;
        this.keepSbin = keepSbin;
        this.refs = new TorcxReferences(name);
        this.unitRewriter = new UnitRewriter(refs);
        this.defaultMtime = archive.entries().stream().mapToLong(e -> e.entry().mtime()).max().orElse(0);
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
        ConversionPlanner p = new ConversionPlanner(archive, name, keepSbin);
        try {
            return p.run();
        } catch (IOException e) {
            throw new OperationFailedException("cannot convert " + archive.archive().getFileName() + ": "
                    + AtomicFiles.describe(e) + "; check the temporary directory (disk space, permissions)");
        }
    }

    private ConversionPlan run() throws IOException, SysextctlException {
        for (RejectedEntry r : archive.rejected()) {
            findings.add(LintRule.UNSAFE_PATH.finding(r.rawName(), "archive entry '" + r.rawName() + "' is "
                    + r.reason() + "; it is not used"));
        }
        readManifest();
        relocateEntries();
        if (manifest != null) {
            placeByManifest();
        }
        retargetLinks();
        resolveHardlinks();
        rewriteContents();
        addUpholdsDropIns();
        addParents();
        warnAboutPlacement();
        List<PlannedEntry> ordered = new ArrayList<>();
        List<PlannedEntry> hardlinks = new ArrayList<>();
        for (PlannedEntry e : plan.values()) {
            (e.entry().type() == EntryType.HARDLINK ? hardlinks : ordered).add(e);
        }
        ordered.addAll(hardlinks);
        return new ConversionPlan(ordered, changes, findings, Optional.ofNullable(manifest), architectures);
    }

    // --- manifest ---------------------------------------------------------------------------------------

    private void readManifest() throws IOException, SysextctlException {
        Optional<StagedEntry> m = archive.get(ImageManifest.PATH);
        if (m.isEmpty() || m.get().type() != EntryType.FILE) {
            findings.add(ConversionRules.warning(ConversionRules.NO_MANIFEST, ImageManifest.PATH,
                    "the archive has no " + ImageManifest.PATH + ": torcx propagated nothing from it; bin/ and lib/ "
                            + "are moved under usr/ by convention and units under lib/systemd/system become visible "
                            + "to systemd", "check the converted units; add a manifest if some should stay inactive"));
            return;
        }
        manifest = ImageManifest.parse(archive.read(m.get()), archive.archive().getFileName().toString());
        String kindWarning = manifest.kindWarning();
        if (kindWarning != null) {
            findings.add(ConversionRules.warning(ConversionRules.MANIFEST, ImageManifest.PATH, kindWarning,
                    "set \"kind\": \"image-manifest-v0\""));
        }
        changes.add(new ConversionChange(ConversionChange.Kind.MANIFEST_READ, ImageManifest.PATH,
                "manifest read: " + manifest.bin().size() + " bin, " + manifest.units().size() + " units, "
                        + manifest.network().size() + " network, " + manifest.tmpfiles().size() + " tmpfiles, "
                        + manifest.sysusers().size() + " sysusers, " + manifest.udevRules().size()
                        + " udev_rules entries; .torcx/ is not carried over"));
    }

    // --- relocation -------------------------------------------------------------------------------------

    private void relocateEntries() {
        List<StagedEntry> entries = new ArrayList<>(archive.entries());
        entries.sort(Comparator.comparingInt((StagedEntry e) -> priority(e.path())));
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
                changes.add(new ConversionChange(ConversionChange.Kind.ALIAS_DROPPED, path, path + " -> "
                        + e.entry().linkTarget() + " is a top-level alias; its content is merged into "
                        + Relocation.relocate(path).orElseThrow() + " instead"));
                continue;
            }
            String dest = destination(path).orElseThrow();
            if (e.type() != EntryType.DIRECTORY && HOST_DIRECTORIES.contains(dest)) {
                findings.add(ConversionRules.warning(ConversionRules.SHADOWING, dest, "the archive has a "
                        + e.type().jsonName() + " at " + path + " (" + dest + " in the sysext): merged, it would "
                        + "hide the node's /" + dest + " directory; dropped",
                        "ship content inside the directory instead of replacing it"));
                continue;
            }
            if (placement == Relocation.Placement.MOVE) {
                moved.merge(Relocation.top(path), 1, Integer::sum);
            }
            if (isUsrSbin(path) && !dest.equals(path) && e.type() != EntryType.DIRECTORY) {
                sbinMoves.put(path, dest);
                changes.add(new ConversionChange(ConversionChange.Kind.SBIN_MOVED, dest, path + " moved to " + dest
                        + " (a real usr/sbin hides the node's usr/sbin -> bin link; --keep-sbin keeps it)"));
            }
            place(dest, e);
        }
        moved.forEach((top, n) -> changes.add(new ConversionChange(ConversionChange.Kind.RELOCATED, top,
                top + "/ -> " + Relocation.relocate(top).orElseThrow() + "/ (" + n + " entries)")));
        dropped.forEach((top, paths) -> {
            String sample = String.join(", ", paths.subList(0, Math.min(3, paths.size())))
                    + (paths.size() > 3 ? ", ..." : "");
            String what = top + (paths.size() > 1 ? " (" + paths.size() + " entries: " + sample + ")" : "");
            if (top.equals("etc")) {
                findings.add(LintRule.ETC_CONTENT.finding(top, what + " is under etc/, which systemd-sysext does "
                        + "not merge; dropped from the image"));
            } else {
                findings.add(ConversionRules.warning(ConversionRules.DROPPED, top, what + " is outside usr/ and "
                        + "opt/ (and not bin/, sbin/, lib/, lib64/); a sysext cannot carry it, dropped",
                        "move it under usr/ in the image, or ship it another way (confext, Ignition)"));
            }
            changes.add(new ConversionChange(ConversionChange.Kind.DROPPED, top, what + " dropped"));
        });
    }

    private void place(String dest, StagedEntry e) {
        PlannedEntry existing = plan.get(dest);
        PlannedEntry fresh = new PlannedEntry(e.entry().withPath(dest),
                content(e), e.path(), PlannedEntry.Origin.ARCHIVE);
        if (existing == null) {
            plan.put(dest, fresh);
            placedFrom.put(e.path(), dest);
            return;
        }
        boolean oldDir = existing.entry().type() == EntryType.DIRECTORY;
        boolean newDir = e.type() == EntryType.DIRECTORY;
        if (oldDir && newDir) {
            placedFrom.put(e.path(), dest);
            if (Relocation.isAliasName(e.path())) {
                changes.add(new ConversionChange(ConversionChange.Kind.MERGED, dest, e.path() + "/ merged with "
                        + existing.origin() + "/ into " + dest + "/"));
            }
            return;
        }
        if (!oldDir && newDir) {
            plan.put(dest, fresh);
            placedFrom.put(e.path(), dest);
            placedFrom.remove(existing.origin());
            collision(dest, e.path(), existing.origin(), "the directory " + e.path() + " wins over the "
                    + existing.entry().type().jsonName() + " " + existing.origin());
            return;
        }
        collision(dest, e.path(), existing.origin(), existing.origin() + " is kept, " + e.path() + " ("
                + e.type().jsonName() + ") is dropped");
    }

    private void collision(String dest, String a, String b, String outcome) {
        findings.add(ConversionRules.warning(ConversionRules.COLLISION, dest, a + " and " + b + " both land at "
                + dest + "; " + outcome, "remove one of them from the archive"));
    }

    // --- manifest placement -----------------------------------------------------------------------------

    private void placeByManifest() throws IOException {
        for (String p : manifest.bin()) {
            Optional<StagedEntry> a = lookupManifestPath("bin", p);
            if (a.isEmpty()) {
                continue;
            }
            List<StagedEntry> targets = a.get().type() == EntryType.DIRECTORY
                    ? archive.descendants(a.get().path()).stream().filter(d -> d.type() == EntryType.FILE
                            || d.type() == EntryType.SYMLINK || d.type() == EntryType.HARDLINK).toList()
                    : List.of(a.get());
            for (StagedEntry t : targets) {
                placeBin(t, p);
            }
        }
        placeCategory("units", manifest.units(), "usr/lib/systemd/system");
        placeCategory("network", manifest.network(), "usr/lib/systemd/network");
        placeCategory("tmpfiles", manifest.tmpfiles(), "usr/lib/tmpfiles.d");
        placeCategory("sysusers", manifest.sysusers(), "usr/lib/sysusers.d");
        placeCategory("udev_rules", manifest.udevRules(), "usr/lib/udev/rules.d");
    }

    private Optional<StagedEntry> lookupManifestPath(String field, String p) {
        Optional<String> norm = ImagePaths.normalize(p.replaceFirst("^/+", ""));
        if (norm.isEmpty() || norm.get().isEmpty()) {
            findings.add(ConversionRules.warning(ConversionRules.MANIFEST, ImageManifest.PATH, "manifest " + field
                    + " entry '" + p + "' does not name a path inside the image; ignored", "fix the manifest"));
            return Optional.empty();
        }
        Optional<StagedEntry> a = resolveInArchive(norm.get());
        if (a.isEmpty()) {
            findings.add(ConversionRules.warning(ConversionRules.MANIFEST, ImageManifest.PATH, "manifest " + field
                    + " entry '" + p + "' is not in the archive; torcx would have skipped it too",
                    "fix the manifest or add the file"));
        }
        return a;
    }

    private void placeBin(StagedEntry t, String manifestEntry) {
        String dest = "usr/bin/" + baseName(t.path());
        String where = placedFrom.get(t.path());
        if (dest.equals(where)) {
            return;
        }
        PlannedEntry taken = plan.get(dest);
        if (taken != null) {
            if (!t.path().equals(taken.origin())) {
                findings.add(ConversionRules.warning(ConversionRules.COLLISION, dest, "manifest bin entry "
                        + manifestEntry + " (" + t.path() + ") would be " + dest + ", which " + describe(taken)
                        + " already is; the first one wins, as in torcx's bin directory",
                        "rename one of the binaries"));
            }
            return;
        }
        if (where != null) {
            // Relative, so that the link resolves the same merged, under --root and in an unpacked image.
            String target = relativize(parentOf(dest), where);
            plan.put(dest, new PlannedEntry(TreeEntry.symlink(dest, target).withMtime(t.entry().mtime()),
                    null, t.path(), PlannedEntry.Origin.MANIFEST));
            changes.add(new ConversionChange(ConversionChange.Kind.MANIFEST_BIN, dest, dest + " -> " + target
                    + " (manifest bin entry " + manifestEntry + ")"));
            return;
        }
        PlannedEntry copy = copyOf(t, dest);
        if (copy == null) {
            return;
        }
        plan.put(dest, copy);
        changes.add(new ConversionChange(ConversionChange.Kind.MANIFEST_BIN, dest, t.path() + " copied to " + dest
                + " (manifest bin entry " + manifestEntry + "; its own directory cannot be carried)"));
    }

    private void placeCategory(String field, List<String> entries, String destDir) {
        for (String p : entries) {
            Optional<StagedEntry> found = lookupManifestPath(field, p);
            if (found.isEmpty()) {
                continue;
            }
            StagedEntry a = found.get();
            if (a.type() == EntryType.DIRECTORY) {
                String sub = destDir + "/" + baseName(a.path());
                if (sub.equals(placedFrom.get(a.path()))) {
                    continue;
                }
                if (!plan.containsKey(sub)) {
                    plan.put(sub, new PlannedEntry(TreeEntry.directory(sub, 0755).withMtime(a.entry().mtime()),
                            null, a.path(), PlannedEntry.Origin.MANIFEST));
                }
                for (StagedEntry c : archive.children(a.path())) {
                    if (c.type() == EntryType.DIRECTORY) {
                        changes.add(new ConversionChange(ConversionChange.Kind.MANIFEST_PLACED, c.path(), "nested "
                                + "directory " + c.path() + " not placed (torcx skipped nested directories too)"));
                        continue;
                    }
                    placeCopy(field, sub + "/" + baseName(c.path()), c);
                }
            } else {
                placeCopy(field, destDir + "/" + baseName(a.path()), a);
            }
        }
    }

    private void placeCopy(String field, String dest, StagedEntry a) {
        if (dest.equals(placedFrom.get(a.path()))) {
            return;
        }
        PlannedEntry taken = plan.get(dest);
        if (taken != null) {
            if (!a.path().equals(taken.origin())) {
                findings.add(ConversionRules.warning(ConversionRules.COLLISION, dest, "manifest " + field + " entry "
                        + a.path() + " would be copied to " + dest + ", which " + describe(taken) + " already is; "
                        + "not overwritten (as torcx did)", "remove one of them"));
            }
            return;
        }
        PlannedEntry copy;
        if (a.type() == EntryType.SYMLINK) {
            copy = new PlannedEntry(a.entry().withPath(dest), null, a.path(), PlannedEntry.Origin.MANIFEST);
        } else {
            copy = copyOf(a, dest);
        }
        if (copy == null) {
            return;
        }
        plan.put(dest, copy);
        changes.add(new ConversionChange(ConversionChange.Kind.MANIFEST_PLACED, dest, a.path() + " placed at "
                + dest + " (manifest " + field + ")"));
    }

    /** A regular-file copy of an archive entry at {@code dest} (hard links copy their target's bytes). */
    private PlannedEntry copyOf(StagedEntry a, String dest) {
        StagedEntry src = a;
        if (a.type() == EntryType.HARDLINK) {
            src = archive.get(a.entry().linkTarget()).filter(x -> x.type() == EntryType.FILE).orElse(null);
        }
        if (src == null) {
            findings.add(ConversionRules.warning(ConversionRules.MANIFEST, a.path(), a.path() + " cannot be "
                    + "copied to " + dest + " (its hard link target is missing)", "fix the archive"));
            return null;
        }
        if (src.type() == EntryType.SYMLINK) {
            return new PlannedEntry(src.entry().withPath(dest), null, src.path(), PlannedEntry.Origin.MANIFEST);
        }
        if (src.type() != EntryType.FILE) {
            findings.add(ConversionRules.warning(ConversionRules.MANIFEST, a.path(), a.path() + " is a "
                    + src.type().jsonName() + ", not a file; not placed at " + dest, "fix the manifest"));
            return null;
        }
        TreeEntry e = new TreeEntry(dest, EntryType.FILE, a.entry().mode(), a.entry().uid(), a.entry().gid(),
                src.entry().size(), null, 0, 0, a.entry().mtime(), src.entry().xattrs());
        return new PlannedEntry(e, content(src), src.path(), PlannedEntry.Origin.MANIFEST);
    }

    private static String describe(PlannedEntry taken) {
        return taken.origin() != null ? taken.origin() + " (" + taken.entry().type().jsonName() + ")"
                : "a generated " + taken.entry().type().jsonName();
    }

    /**
     * Looks a path up in the archive, following symlinks in its directory components lexically inside the image
     * (an absolute link there cannot be followed: it meant the node's filesystem).
     */
    Optional<StagedEntry> resolveInArchive(String path) {
        String current = path;
        for (int hops = 0; hops <= MAX_LINKS; hops++) {
            String[] parts = current.split("/");
            String prefix = "";
            boolean restarted = false;
            for (int i = 0; i < parts.length - 1; i++) {
                String next = prefix.isEmpty() ? parts[i] : prefix + "/" + parts[i];
                Optional<StagedEntry> e = archive.get(next);
                if (e.isPresent() && e.get().type() == EntryType.SYMLINK) {
                    String target = e.get().entry().linkTarget();
                    if (target.startsWith("/")) {
                        return Optional.empty();
                    }
                    String resolved = lexicalResolve(prefix, target);
                    if (resolved == null) {
                        return Optional.empty();
                    }
                    StringBuilder rest = new StringBuilder(resolved);
                    for (int j = i + 1; j < parts.length; j++) {
                        if (rest.length() > 0) {
                            rest.append('/');
                        }
                        rest.append(parts[j]);
                    }
                    current = rest.toString();
                    restarted = true;
                    break;
                }
                prefix = next;
            }
            if (!restarted) {
                return archive.get(current);
            }
        }
        return Optional.empty();
    }

    // --- links ------------------------------------------------------------------------------------------

    private void retargetLinks() {
        for (Map.Entry<String, PlannedEntry> me : new ArrayList<>(plan.entrySet())) {
            PlannedEntry p = me.getValue();
            if (p.entry().type() != EntryType.SYMLINK) {
                continue;
            }
            String target = p.entry().linkTarget();
            String newTarget = target;
            if (target.startsWith("/")) {
                RewriteResult r = refs.rewrite(target);
                newTarget = r.text();
                for (String u : r.unresolved()) {
                    findings.add(ConversionRules.warning(ConversionRules.REFERENCE, p.path(), "symlink " + p.path()
                            + " -> " + target + " still points into torcx's runtime directories (" + u + ")",
                            "point it at the file's path in the sysext"));
                }
                newTarget = relativeInHierarchy(p.path(), newTarget);
            } else if (p.kind() == PlannedEntry.Origin.ARCHIVE) {
                String resolved = lexicalResolve(parentOf(p.origin()), target);
                if (resolved == null) {
                    continue;
                }
                String moved = placedFrom.get(resolved);
                if (moved == null) {
                    Optional<String> r = Relocation.relocate(resolved);
                    if (r.isEmpty() && Relocation.placement(resolved) != Relocation.Placement.KEEP) {
                        findings.add(ConversionRules.warning(ConversionRules.DROPPED, p.path(), "symlink " + p.path()
                                + " -> " + target + " points at " + resolved + ", which is not carried over",
                                "ship the target under usr/ or opt/"));
                        continue;
                    }
                    moved = r.map(this::mergeSbin).orElse(resolved);
                }
                String fromNew = lexicalResolve(parentOf(p.path()), target);
                if (!moved.equals(fromNew)) {
                    newTarget = relativize(parentOf(p.path()), moved);
                }
            }
            if (!newTarget.equals(target)) {
                plan.put(me.getKey(), p.with(p.entry().withLinkTarget(newTarget).withSize(newTarget.length()),
                        null));
                changes.add(new ConversionChange(ConversionChange.Kind.SYMLINK, p.path(), p.path() + " -> "
                        + target + " now points to " + newTarget));
            }
        }
    }

    private void resolveHardlinks() {
        for (Map.Entry<String, PlannedEntry> me : new ArrayList<>(plan.entrySet())) {
            PlannedEntry p = me.getValue();
            if (p.entry().type() != EntryType.HARDLINK) {
                continue;
            }
            String archiveTarget = p.entry().linkTarget();
            String placed = placedFrom.get(archiveTarget);
            PlannedEntry target = placed == null ? null : plan.get(placed);
            if (target != null && target.entry().type() == EntryType.FILE && archiveTarget.equals(target.origin())) {
                if (!placed.equals(archiveTarget)) {
                    plan.put(me.getKey(), p.with(p.entry().withLinkTarget(placed), null));
                }
                continue;
            }
            Optional<StagedEntry> src = archive.get(archiveTarget).filter(s -> s.type() == EntryType.FILE);
            if (src.isEmpty()) {
                plan.remove(me.getKey());
                findings.add(ConversionRules.warning(ConversionRules.DROPPED, p.path(), "hard link " + p.path()
                        + " -> " + archiveTarget + " has no regular file to link to; dropped", "fix the archive"));
                continue;
            }
            TreeEntry e = new TreeEntry(p.path(), EntryType.FILE, p.entry().mode(), p.entry().uid(),
                    p.entry().gid(), src.get().entry().size(), null, 0, 0, p.entry().mtime(), src.get().entry().xattrs());
            plan.put(me.getKey(), new PlannedEntry(e, content(src.get()), p.origin(), p.kind()));
            changes.add(new ConversionChange(ConversionChange.Kind.HARDLINK, p.path(), "hard link to "
                    + archiveTarget + " (not carried over) became a copy"));
        }
    }

    // --- contents ---------------------------------------------------------------------------------------

    /** A staged entry's bytes: its staged copy, or the archive member it is streamed from; null for no file. */
    private EntryContent content(StagedEntry e) {
        if (e.blob() != null) {
            return new EntryContent.Blob(e.blob());
        }
        return e.streamed() ? new EntryContent.Member(archive.archive(), e.member(), e.entry().size()) : null;
    }

    private void rewriteContents() throws IOException {
        Map<Path, ElfInspection> inspected = new HashMap<>();
        for (Map.Entry<String, PlannedEntry> me : new ArrayList<>(plan.entrySet())) {
            PlannedEntry p = me.getValue();
            if (p.entry().type() != EntryType.FILE || !(p.content() instanceof EntryContent.Blob blob)) {
                continue;
            }
            byte[] head;
            try (InputStream in = blob.open()) {
                head = in.readNBytes(4);
            }
            if (ElfFile.hasMagic(head)) {
                boolean first = !inspected.containsKey(blob.path());
                ElfInspection ins = inspected.get(blob.path());
                if (ins == null) {
                    ins = RunpathRewriter.rewrite(blob.path(), s -> refs.rewrite(s).text(), true);
                    inspected.put(blob.path(), ins);
                }
                reportElf(p.path(), ins, first);
                continue;
            }
            if (blob.size() > MAX_TEXT) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = blob.open()) {
                bytes = in.readAllBytes();
            }
            String text = decodeText(bytes);
            if (text == null) {
                continue;
            }
            boolean unit = UnitRewriter.isUnitPath(p.path());
            if (!unit && !TorcxReferences.mentionsTorcx(text)) {
                continue;
            }
            RewriteResult r = unit ? unitRewriter.rewrite(text) : refs.rewrite(text);
            List<String> done = new ArrayList<>(r.changed() ? r.changes() : List.of());
            String result = r.changed() ? r.text() : text;
            if (unit) {
                result = followSbinMoves(result, done);
            }
            if (!done.isEmpty() && !result.equals(text)) {
                byte[] out = result.getBytes(StandardCharsets.UTF_8);
                plan.put(me.getKey(), p.with(p.entry().withSize(out.length), new EntryContent.Bytes(out)));
                changes.add(new ConversionChange(unit ? ConversionChange.Kind.UNIT_REWRITTEN
                        : ConversionChange.Kind.TEXT_REWRITTEN, p.path(), String.join("; ", done)));
            }
            if (!r.unresolved().isEmpty()) {
                findings.add(ConversionRules.warning(ConversionRules.REFERENCE, p.path(), p.path()
                        + " still refers to torcx: " + String.join(", ", r.unresolved()) + "; this breaks without "
                        + "torcx", "edit the file in the image (or a drop-in on the node)"));
            }
        }
    }

    private void reportElf(String path, ElfInspection ins, boolean first) {
        if (first && ins.architecture().isPresent()) {
            architectures.merge(ins.architecture().get(), 1, Integer::sum);
        }
        for (RunpathChange c : ins.changes()) {
            if (c.applied()) {
                changes.add(new ConversionChange(ConversionChange.Kind.RUNPATH, path, c.tag() + " " + c.before()
                        + " -> " + c.after()));
            } else {
                findings.add(ConversionRules.warning(ConversionRules.RUNPATH, path, c.tag() + " " + c.before()
                        + " cannot become " + c.after() + ": " + c.reason() + "; the binary will not find its "
                        + "libraries", "relink it, or set the runpath with 'patchelf --set-rpath " + c.after()
                        + "' before converting"));
            }
        }
        for (String rp : ins.runpaths()) {
            if (rp.contains("/run/torcx") && ins.changes().stream().noneMatch(c -> c.before().equals(rp)
                    && c.applied())) {
                if (ins.changes().stream().noneMatch(c -> c.before().equals(rp))) {
                    findings.add(ConversionRules.warning(ConversionRules.RUNPATH, path, "runpath " + rp
                            + " points into torcx's runtime directories and could not be mapped",
                            "set the runpath with patchelf to a path under /usr"));
                }
            }
        }
    }

    private static String decodeText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    // --- Upholds= drop-ins ------------------------------------------------------------------------------

    private void addUpholdsDropIns() {
        for (PlannedEntry dir : new ArrayList<>(plan.values())) {
            if (dir.entry().type() != EntryType.DIRECTORY) {
                continue;
            }
            Matcher m = WANTS_DIR.matcher(dir.path());
            if (!m.matches()) {
                continue;
            }
            String unitDir = m.group(1);
            String target = m.group(2);
            boolean kept = false;
            for (PlannedEntry child : childrenOf(dir.path())) {
                if (child.entry().type() == EntryType.DIRECTORY) {
                    kept = true;
                    continue;
                }
                String unit = child.entry().name();
                if (target.equals("torcx.target")) {
                    findings.add(ConversionRules.warning(ConversionRules.REFERENCE, child.path(), unit + " was "
                            + "started by torcx.target, which no longer exists; nothing starts it now",
                            "add it to another target (e.g. a multi-user.target.d drop-in with Upholds=" + unit
                                    + ")"));
                    kept = true;
                    continue;
                }
                String dropIn = unitDir + "/" + target + ".d/10-" + unit.replaceFirst("\\.", "-") + ".conf";
                plan.remove(child.path());
                if (plan.containsKey(dropIn)) {
                    changes.add(new ConversionChange(ConversionChange.Kind.UPHOLDS, child.path(), child.path()
                            + " dropped: " + dropIn + " is already in the image"));
                    continue;
                }
                byte[] body = ("[Unit]\nUpholds=" + unit + "\n").getBytes(StandardCharsets.UTF_8);
                TreeEntry e = new TreeEntry(dropIn, EntryType.FILE, 0644, 0, 0, body.length, null, 0, 0,
                        defaultMtime, null);
                plan.put(dropIn, new PlannedEntry(e, new EntryContent.Bytes(body), null,
                        PlannedEntry.Origin.GENERATED));
                changes.add(new ConversionChange(ConversionChange.Kind.UPHOLDS, dropIn, "Upholds=" + unit + " for "
                        + target + " replaces " + child.path() + " (a .wants/ link is not acted on when the sysext "
                        + "is merged at runtime; Upholds= is)"));
            }
            if (!kept) {
                plan.remove(dir.path());
            }
        }
    }

    private List<PlannedEntry> childrenOf(String dir) {
        List<PlannedEntry> out = new ArrayList<>();
        String prefix = dir + "/";
        for (PlannedEntry e : plan.tailMap(prefix, true).values()) {
            if (!e.path().startsWith(prefix)) {
                break;
            }
            if (e.path().indexOf('/', prefix.length()) < 0) {
                out.add(e);
            }
        }
        return out;
    }

    // --- structure --------------------------------------------------------------------------------------

    private void addParents() {
        for (String path : new ArrayList<>(plan.keySet())) {
            if (!plan.containsKey(path)) {
                continue;
            }
            for (String parent : ImagePaths.parents(path)) {
                PlannedEntry existing = plan.get(parent);
                if (existing == null) {
                    plan.put(parent, new PlannedEntry(TreeEntry.directory(parent, 0755).withMtime(defaultMtime),
                            null, null, PlannedEntry.Origin.GENERATED));
                } else if (existing.entry().type() != EntryType.DIRECTORY) {
                    plan.put(parent, new PlannedEntry(TreeEntry.directory(parent, 0755).withMtime(defaultMtime),
                            null, null, PlannedEntry.Origin.GENERATED));
                    placedFrom.values().remove(parent);
                    collision(parent, existing.origin() == null ? parent : existing.origin(), "entries below it",
                            "the " + existing.entry().type().jsonName() + " is replaced by a directory");
                }
            }
        }
    }

    private void warnAboutPlacement() {
        List<String> sysusers = new ArrayList<>();
        boolean opt = false;
        for (PlannedEntry e : plan.values()) {
            if (e.path().startsWith("usr/lib/sysusers.d/") && e.entry().type() != EntryType.DIRECTORY) {
                sysusers.add(e.path());
            }
            if (e.path().startsWith("opt/") && e.entry().type() != EntryType.DIRECTORY) {
                opt = true;
            }
        }
        for (String s : sysusers) {
            findings.add(ConversionRules.warning(ConversionRules.SYSUSERS, s, "sysusers.d entries in a sysext are "
                    + "applied too late: systemd-sysusers runs before extensions are merged, so users and groups "
                    + "it declares do not exist yet for units in the same image", "create the users with Ignition "
                    + "or a confext, or run 'systemd-sysusers' after the merge (an ExecStartPre= in the unit)"));
        }
        if (opt) {
            findings.add(ConversionRules.warning(ConversionRules.OPT, "opt", "the image has content under opt/: "
                    + "while it is merged, /opt on the node is a read-only overlay",
                    "move the content under usr/ (e.g. usr/lib/NAME) if the node writes to /opt"));
        }
    }

    // --- usr/sbin and absolute links ---------------------------------------------------------------------

    private static boolean isUsrSbin(String path) {
        return path.equals(USR_SBIN) || path.startsWith(USR_SBIN + "/");
    }

    /** {@code usr/sbin[/…]} → {@code usr/bin[/…]} unless usr/sbin is kept; any other path unchanged. */
    private String mergeSbin(String path) {
        return keepSbin || !isUsrSbin(path) ? path : "usr/bin" + path.substring(USR_SBIN.length());
    }

    /** Where an archive path goes in the image, or empty when it is dropped. */
    private Optional<String> destination(String archivePath) {
        return Relocation.relocate(archivePath).map(this::mergeSbin);
    }

    /** {@link Relocation#priority}, with a moved usr/sbin ranking as an alias (usr/bin wins a collision). */
    private int priority(String archivePath) {
        return !keepSbin && isUsrSbin(archivePath) ? 2 : Relocation.priority(archivePath);
    }

    /**
     * The link text for an absolute target: the merged-usr aliases {@code /bin}, {@code /sbin}, {@code /lib} and
     * {@code /lib64} name their {@code /usr} paths (the node systemd-sysext merges into is merged-usr), a moved
     * {@code /usr/sbin/X} becomes its {@code usr/bin} path, and a target in {@code /usr} or {@code /opt} (the
     * hierarchies systemd-sysext merges) becomes relative to the link, which resolves the same merged, under
     * {@code --root} and unpacked. Other targets stay absolute (lint's {@code absolute-symlink} says why they
     * are a problem).
     */
    private String relativeInHierarchy(String linkPath, String absolute) {
        String inImage = lexicalResolve("", absolute);
        if (inImage != null) {
            String top = Relocation.top(inImage);
            if (Relocation.isAliasName(top)) {
                inImage = "usr/" + inImage;
            }
        }
        if (inImage == null || !(inImage.equals("usr") || inImage.startsWith("usr/") || inImage.equals("opt")
                || inImage.startsWith("opt/"))) {
            return absolute;
        }
        String moved = sbinMoves.get(inImage);
        return relativize(parentOf(linkPath), moved != null ? moved : inImage);
    }

    /** Unit text with every {@code /usr/sbin/X} the conversion moved pointing at {@code /usr/bin/X}. */
    private String followSbinMoves(String text, List<String> done) {
        if (sbinMoves.isEmpty()) {
            return text;
        }
        Matcher m = USR_SBIN_WORD.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String moved = sbinMoves.get(USR_SBIN + "/" + m.group(1));
            String replacement = moved == null ? m.group() : "/" + moved;
            if (moved != null) {
                done.add(m.group() + " -> " + replacement);
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // --- paths ------------------------------------------------------------------------------------------

    static String baseName(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }

    static String parentOf(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }

    /** {@code dir/target} normalised, null when it climbs above the root. */
    static String lexicalResolve(String dir, String target) {
        List<String> parts = new ArrayList<>();
        if (!target.startsWith("/")) {
            for (String c : dir.split("/")) {
                if (!c.isEmpty()) {
                    parts.add(c);
                }
            }
        }
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(c);
            }
        }
        return String.join("/", parts);
    }

    /** The relative link text from directory {@code fromDir} to {@code to} (both image-relative). */
    static String relativize(String fromDir, String to) {
        String[] from = fromDir.isEmpty() ? new String[0] : fromDir.split("/");
        String[] dest = to.isEmpty() ? new String[0] : to.split("/");
        int common = 0;
        while (common < from.length && common < dest.length && from[common].equals(dest[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < from.length; i++) {
            sb.append(sb.length() > 0 ? "/" : "").append("..");
        }
        for (int i = common; i < dest.length; i++) {
            sb.append(sb.length() > 0 ? "/" : "").append(dest[i]);
        }
        return sb.length() == 0 ? "." : sb.toString();
    }
}
