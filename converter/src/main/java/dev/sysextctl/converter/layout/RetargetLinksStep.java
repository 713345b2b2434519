package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.rewrite.RewriteResult;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.ImagePaths;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

/**
 * Makes every symlink point where its target went: absolute links into {@code /run/torcx/…} are mapped to the
 * file's path in the sysext, absolute links into {@code /usr} and {@code /opt} become relative (resolving the same
 * merged, under {@code --root} and unpacked; a moved {@code /usr/sbin/X} is followed), and relative links that the
 * relocation broke are recomputed. Links to something that is not carried over get a finding.
 */
final class RetargetLinksStep implements PlanStep {
    @Override
    public void apply(PlanDraft d) {
        for (Map.Entry<String, PlannedEntry> me : new ArrayList<>(d.entries().entrySet())) {
            PlannedEntry p = me.getValue();
            if (p.entry().type() != EntryType.SYMLINK) {
                continue;
            }
            String target = p.entry().linkTarget();
            String newTarget = target;
            if (target.startsWith("/")) {
                RewriteResult r = d.references().rewrite(target);
                newTarget = r.text();
                for (String u : r.unresolved()) {
                    d.warn(ConversionRules.REFERENCE, p.path(), "symlink " + p.path() + " -> " + target
                            + " still points into torcx's runtime directories (" + u + ")",
                            "point it at the file's path in the sysext");
                }
                newTarget = relativeInHierarchy(d, p.path(), newTarget);
            } else if (p.kind() == PlannedEntry.Origin.ARCHIVE) {
                String resolved = ImagePaths.lexicalResolve(ImagePaths.directoryOf(p.origin()), target);
                if (resolved == null) {
                    continue;
                }
                String moved = d.placedFrom().get(resolved);
                if (moved == null) {
                    Optional<String> r = Relocation.relocate(resolved);
                    if (r.isEmpty() && Relocation.placement(resolved) != Relocation.Placement.KEEP) {
                        d.warn(ConversionRules.DROPPED, p.path(), "symlink " + p.path() + " -> " + target
                                + " points at " + resolved + ", which is not carried over",
                                "ship the target under usr/ or opt/");
                        continue;
                    }
                    moved = r.map(d::mergeSbin).orElse(resolved);
                }
                String fromNew = ImagePaths.lexicalResolve(ImagePaths.directoryOf(p.path()), target);
                if (!moved.equals(fromNew)) {
                    newTarget = ImagePaths.relativize(ImagePaths.directoryOf(p.path()), moved);
                }
            }
            if (!newTarget.equals(target)) {
                d.entries().put(me.getKey(), p.with(p.entry().withLinkTarget(newTarget)
                        .withSize(newTarget.length()), null));
                d.change(ConversionChange.Kind.SYMLINK, p.path(), p.path() + " -> " + target + " now points to "
                        + newTarget);
            }
        }
    }

    /**
     * The link text for an absolute target: the merged-usr aliases {@code /bin}, {@code /sbin}, {@code /lib} and
     * {@code /lib64} name their {@code /usr} paths (the node systemd-sysext merges into is merged-usr), a moved
     * {@code /usr/sbin/X} becomes its {@code usr/bin} path, and a target in {@code /usr} or {@code /opt} (the
     * hierarchies systemd-sysext merges) becomes relative to the link. Other targets stay absolute (lint's
     * {@code absolute-symlink} says why they are a problem).
     */
    static String relativeInHierarchy(PlanDraft d, String linkPath, String absolute) {
        String inImage = ImagePaths.lexicalResolve("", absolute);
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
        String moved = d.sbinMoves().get(inImage);
        return ImagePaths.relativize(ImagePaths.directoryOf(linkPath), moved != null ? moved : inImage);
    }
}
