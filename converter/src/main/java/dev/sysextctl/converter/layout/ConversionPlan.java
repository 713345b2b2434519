package dev.sysextctl.converter.layout;

import dev.sysextctl.converter.manifest.ImageManifest;
import dev.sysextctl.core.lint.Finding;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The converted image, before it is written: every entry in scan order (parents before children, hard links
 * after their targets), what was done, what is left to a human, and the architecture the binaries are for.
 *
 * @param architectures every systemd architecture found in ELF binaries, with how many binaries have it
 */
public record ConversionPlan(List<PlannedEntry> entries, List<ConversionChange> changes, List<Finding> findings,
        Optional<ImageManifest> manifest, Map<String, Integer> architectures) {
    public ConversionPlan {
        entries = List.copyOf(entries);
        changes = List.copyOf(changes);
        findings = List.copyOf(findings);
        architectures = Map.copyOf(architectures);
    }

    public Optional<PlannedEntry> get(String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst();
    }
}
