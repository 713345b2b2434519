package dev.sysextctl.converter.migration;

import dev.sysextctl.core.lint.Finding;
import java.util.List;

/** The human summary of a migration ({@code migration.txt}, and what the CLI prints). */
public final class MigrationSummary {
    private MigrationSummary() {
    }

    public static String render(MigrationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("torcx migration of ").append(r.root());
        if (r.osVersionId() != null) {
            sb.append(" (VERSION_ID ").append(r.osVersionId()).append(')');
        }
        sb.append('\n');
        MigrationReport.Torcx t = r.torcx();
        sb.append("profiles: lower ").append(t.lowerProfiles().isEmpty() ? "(none)"
                : String.join(", ", t.lowerProfiles()));
        sb.append("; upper ").append(t.upperProfile() == null ? "(none)" : t.upperProfile() + " (from "
                + t.upperSource() + ")").append('\n');
        sb.append("images torcx applied at boot: ").append(t.mergedImages().isEmpty() ? "(none)"
                : String.join(", ", t.mergedImages())).append('\n');
        for (String w : t.warnings()) {
            sb.append("  note: ").append(w).append('\n');
        }
        sb.append('\n');
        List<MigratedImage> converted = r.images().stream().filter(MigratedImage::converted).toList();
        List<MigratedImage> other = r.images().stream().filter(i -> !i.converted()).toList();
        if (!converted.isEmpty()) {
            sb.append("converted:\n");
            for (MigratedImage i : converted) {
                long warnings = i.findings() == null ? 0 : i.findings().stream().filter(f -> !f.isError()).count();
                sb.append("  ").append(i.name()).append(':').append(i.reference()).append("  ").append(i.archive())
                        .append("  ->  ").append(i.output()).append("  (").append(i.changes().size())
                        .append(" changes, ").append(warnings).append(" warnings)\n");
                if (i.findings() != null) {
                    for (Finding f : i.findings()) {
                        sb.append("    ").append(f.oneLine()).append('\n');
                    }
                }
            }
        }
        if (!other.isEmpty()) {
            sb.append("not converted:\n");
            for (MigratedImage i : other) {
                sb.append("  ").append(i.name()).append(':').append(i.reference()).append("  ").append(i.status())
                        .append(": ").append(i.problem()).append('\n');
            }
        }
        sb.append('\n');
        if (r.leftovers().isEmpty()) {
            sb.append("node-side leftovers: none found under /etc/systemd\n");
        } else {
            sb.append("node-side leftovers that break once torcx is gone:\n");
            for (Leftover l : r.leftovers()) {
                sb.append("  ").append(l.path()).append(" (").append(l.kind()).append(")\n");
                for (Leftover.Match m : l.matches()) {
                    sb.append("    ").append(m.line() > 0 ? "line " + m.line() + ": " : "").append(m.text())
                            .append('\n');
                }
                sb.append("    -> ").append(l.advice()).append('\n');
                if (l.suggestion() != null) {
                    sb.append("    suggested replacement (also in migration.json):\n");
                    for (String line : l.suggestion().split("\n")) {
                        sb.append("      | ").append(line).append('\n');
                    }
                }
            }
        }
        Installation in = r.installation();
        if (in != null) {
            sb.append('\n');
            for (Installation.Enabled e : in.enabled()) {
                sb.append("enabled: ").append(e.link()).append(" -> ").append(e.image()).append('\n');
            }
            for (Installation.Masked m : in.masked()) {
                sb.append("masked: ").append(m.link()).append(" -> /dev/null (Flatcar's built-in ").append(m.name())
                        .append(" disabled: the link that enabled it is replaced)\n");
            }
            for (String n : in.notes()) {
                sb.append("note: ").append(n).append('\n');
            }
        }
        sb.append('\n').append(r.complete() ? "all images converted" : "INCOMPLETE: some images were not converted")
                .append("; report: ").append(r.outputDirectory()).append("/migration.json\n");
        return sb.toString();
    }
}
