package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.archive.StagedArchive;
import dev.sysextctl.converter.archive.StagedEntry;
import dev.sysextctl.converter.manifest.ImageManifest;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import dev.sysextctl.core.tree.TreeEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Does what torcx's propagation did for the manifest's entries, never overwriting: {@code bin} entries appear in
 * {@code usr/bin} (a relative link to where the file was placed, or a copy), and {@code units}, {@code network},
 * {@code tmpfiles}, {@code sysusers} and {@code udev_rules} entries are copied where systemd reads them in
 * {@code /usr}. Nothing happens without a manifest.
 */
final class ManifestPlacementStep implements PlanStep {
    private static final int MAX_LINKS = 40;

    @Override
    public void apply(PlanDraft d) {
        Optional<ImageManifest> m = d.manifest();
        if (m.isEmpty()) {
            return;
        }
        ImageManifest manifest = m.get();
        for (String p : manifest.bin()) {
            Optional<StagedEntry> a = lookupManifestPath(d, "bin", p);
            if (a.isEmpty()) {
                continue;
            }
            List<StagedEntry> targets = a.get().type() == EntryType.DIRECTORY
                    ? d.archive().descendants(a.get().path()).stream().filter(x -> x.type() == EntryType.FILE
                            || x.type() == EntryType.SYMLINK || x.type() == EntryType.HARDLINK).toList()
                    : List.of(a.get());
            for (StagedEntry t : targets) {
                placeBin(d, t, p);
            }
        }
        placeCategory(d, "units", manifest.units(), "usr/lib/systemd/system");
        placeCategory(d, "network", manifest.network(), "usr/lib/systemd/network");
        placeCategory(d, "tmpfiles", manifest.tmpfiles(), "usr/lib/tmpfiles.d");
        placeCategory(d, "sysusers", manifest.sysusers(), "usr/lib/sysusers.d");
        placeCategory(d, "udev_rules", manifest.udevRules(), "usr/lib/udev/rules.d");
    }

    private static Optional<StagedEntry> lookupManifestPath(PlanDraft d, String field, String p) {
        Optional<String> norm = ImagePaths.normalize(p.replaceFirst("^/+", ""));
        if (norm.isEmpty() || norm.get().isEmpty()) {
            d.warn(ConversionRules.MANIFEST, ImageManifest.PATH, "manifest " + field + " entry '" + p
                    + "' does not name a path inside the image; ignored", "fix the manifest");
            return Optional.empty();
        }
        Optional<StagedEntry> a = resolveInArchive(d.archive(), norm.get());
        if (a.isEmpty()) {
            d.warn(ConversionRules.MANIFEST, ImageManifest.PATH, "manifest " + field + " entry '" + p
                    + "' is not in the archive; torcx would have skipped it too", "fix the manifest or add the file");
        }
        return a;
    }

    private static void placeBin(PlanDraft d, StagedEntry t, String manifestEntry) {
        Map<String, PlannedEntry> plan = d.entries();
        String dest = "usr/bin/" + ImagePaths.baseName(t.path());
        String where = d.placedFrom().get(t.path());
        if (dest.equals(where)) {
            return;
        }
        if (occupied(d, dest, t.path(), "manifest bin entry " + manifestEntry + " (" + t.path() + ") would be "
                + dest, "the first one wins, as in torcx's bin directory", "rename one of the binaries")) {
            return;
        }
        if (where != null) {
            // Relative, so that the link resolves the same merged, under --root and in an unpacked image.
            String target = ImagePaths.relativize(ImagePaths.directoryOf(dest), where);
            plan.put(dest, new PlannedEntry(TreeEntry.symlink(dest, target).withMtime(t.entry().mtime()),
                    null, t.path(), PlannedEntry.Origin.MANIFEST));
            d.change(ConversionChange.Kind.MANIFEST_BIN, dest, dest + " -> " + target + " (manifest bin entry "
                    + manifestEntry + ")");
            return;
        }
        PlannedEntry copy = copyOf(d, t, dest);
        if (copy == null) {
            return;
        }
        plan.put(dest, copy);
        d.change(ConversionChange.Kind.MANIFEST_BIN, dest, t.path() + " copied to " + dest + " (manifest bin entry "
                + manifestEntry + "; its own directory cannot be carried)");
    }

    private static void placeCategory(PlanDraft d, String field, List<String> entries, String destDir) {
        for (String p : entries) {
            Optional<StagedEntry> found = lookupManifestPath(d, field, p);
            if (found.isEmpty()) {
                continue;
            }
            StagedEntry a = found.get();
            if (a.type() == EntryType.DIRECTORY) {
                String sub = destDir + "/" + ImagePaths.baseName(a.path());
                if (sub.equals(d.placedFrom().get(a.path()))) {
                    continue;
                }
                if (!d.entries().containsKey(sub)) {
                    d.entries().put(sub, new PlannedEntry(TreeEntry.directory(sub, 0755)
                            .withMtime(a.entry().mtime()), null, a.path(), PlannedEntry.Origin.MANIFEST));
                }
                for (StagedEntry c : d.archive().children(a.path())) {
                    if (c.type() == EntryType.DIRECTORY) {
                        d.change(ConversionChange.Kind.MANIFEST_PLACED, c.path(), "nested directory " + c.path()
                                + " not placed (torcx skipped nested directories too)");
                        continue;
                    }
                    placeCopy(d, field, sub + "/" + ImagePaths.baseName(c.path()), c);
                }
            } else {
                placeCopy(d, field, destDir + "/" + ImagePaths.baseName(a.path()), a);
            }
        }
    }

    private static void placeCopy(PlanDraft d, String field, String dest, StagedEntry a) {
        if (dest.equals(d.placedFrom().get(a.path()))) {
            return;
        }
        if (occupied(d, dest, a.path(), "manifest " + field + " entry " + a.path() + " would be copied to " + dest,
                "not overwritten (as torcx did)", "remove one of them")) {
            return;
        }
        PlannedEntry copy;
        if (a.type() == EntryType.SYMLINK) {
            copy = new PlannedEntry(a.entry().withPath(dest), null, a.path(), PlannedEntry.Origin.MANIFEST);
        } else {
            copy = copyOf(d, a, dest);
        }
        if (copy == null) {
            return;
        }
        d.entries().put(dest, copy);
        d.change(ConversionChange.Kind.MANIFEST_PLACED, dest, a.path() + " placed at " + dest + " (manifest "
                + field + ")");
    }

    /** A regular-file copy of an archive entry at {@code dest} (hard links copy their target's bytes). */
    private static PlannedEntry copyOf(PlanDraft d, StagedEntry a, String dest) {
        StagedEntry src = a;
        if (a.type() == EntryType.HARDLINK) {
            src = d.archive().get(a.entry().linkTarget()).filter(x -> x.type() == EntryType.FILE).orElse(null);
        }
        if (src == null) {
            d.warn(ConversionRules.MANIFEST, a.path(), a.path() + " cannot be copied to " + dest
                    + " (its hard link target is missing)", "fix the archive");
            return null;
        }
        if (src.type() == EntryType.SYMLINK) {
            return new PlannedEntry(src.entry().withPath(dest), null, src.path(), PlannedEntry.Origin.MANIFEST);
        }
        if (src.type() != EntryType.FILE) {
            d.warn(ConversionRules.MANIFEST, a.path(), a.path() + " is a " + src.type().jsonName()
                    + ", not a file; not placed at " + dest, "fix the manifest");
            return null;
        }
        TreeEntry e = new TreeEntry(dest, EntryType.FILE, a.entry().mode(), a.entry().uid(), a.entry().gid(),
                src.entry().size(), null, 0, 0, a.entry().mtime(), src.entry().xattrs());
        return new PlannedEntry(e, d.content(src), src.path(), PlannedEntry.Origin.MANIFEST);
    }

    /**
     * Whether {@code dest} is already planned; when another entry than {@code archivePath} holds it, a collision
     * warning "{@code what}, which … already is; {@code outcome}".
     */
    private static boolean occupied(PlanDraft d, String dest, String archivePath, String what, String outcome,
            String fix) {
        PlannedEntry taken = d.entries().get(dest);
        if (taken != null && !archivePath.equals(taken.origin())) {
            d.warn(ConversionRules.COLLISION, dest, what + ", which " + describe(taken) + " already is; " + outcome,
                    fix);
        }
        return taken != null;
    }

    private static String describe(PlannedEntry taken) {
        return taken.origin() != null ? taken.origin() + " (" + taken.entry().type().jsonName() + ")"
                : "a generated " + taken.entry().type().jsonName();
    }

    /**
     * Looks a path up in the archive, following symlinks in its directory components lexically inside the image
     * (an absolute link there cannot be followed: it meant the node's filesystem).
     */
    static Optional<StagedEntry> resolveInArchive(StagedArchive archive, String path) {
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
                    String resolved = ImagePaths.lexicalResolve(prefix, target);
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
}
