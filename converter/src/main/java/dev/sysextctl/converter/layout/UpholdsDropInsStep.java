package dev.sysextctl.converter.layout;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the links in {@code *.wants/} and {@code *.requires/} unit directories by {@code Upholds=} drop-ins
 * ({@code TARGET.d/10-UNIT.conf}, the sysext-bakery convention: a {@code .wants/} link is not acted on when a sysext
 * is merged at run time). Links under {@code torcx.target} are kept with a finding (that target no longer exists);
 * a directory left empty is removed.
 */
final class UpholdsDropInsStep implements PlanStep {
    private static final Pattern WANTS_DIR = Pattern.compile(
            "(usr/lib/systemd/(?:system|user))/([^/]+)\\.(wants|requires)");

    @Override
    public void apply(PlanDraft d) {
        for (PlannedEntry dir : new ArrayList<>(d.entries().values())) {
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
            for (PlannedEntry child : d.childrenOf(dir.path())) {
                if (child.entry().type() == EntryType.DIRECTORY) {
                    kept = true;
                    continue;
                }
                String unit = child.entry().name();
                if (target.equals("torcx.target")) {
                    d.warn(ConversionRules.REFERENCE, child.path(), unit + " was started by torcx.target, which no "
                            + "longer exists; nothing starts it now", "add it to another target (e.g. a "
                            + "multi-user.target.d drop-in with Upholds=" + unit + ")");
                    kept = true;
                    continue;
                }
                String dropIn = unitDir + "/" + target + ".d/10-" + unit.replaceFirst("\\.", "-") + ".conf";
                d.entries().remove(child.path());
                if (d.entries().containsKey(dropIn)) {
                    d.change(ConversionChange.Kind.UPHOLDS, child.path(), child.path() + " dropped: " + dropIn
                            + " is already in the image");
                    continue;
                }
                byte[] body = ("[Unit]\nUpholds=" + unit + "\n").getBytes(StandardCharsets.UTF_8);
                TreeEntry e = new TreeEntry(dropIn, EntryType.FILE, 0644, 0, 0, body.length, null, 0, 0,
                        d.defaultMtime(), null);
                d.entries().put(dropIn, new PlannedEntry(e, new EntryContent.Bytes(body), null,
                        PlannedEntry.Origin.GENERATED));
                d.change(ConversionChange.Kind.UPHOLDS, dropIn, "Upholds=" + unit + " for " + target + " replaces "
                        + child.path() + " (a .wants/ link is not acted on when the sysext is merged at runtime; "
                        + "Upholds= is)");
            }
            if (!kept) {
                d.entries().remove(dir.path());
            }
        }
    }
}
