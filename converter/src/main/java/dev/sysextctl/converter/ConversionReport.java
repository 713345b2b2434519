package dev.sysextctl.converter;

import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.layout.ConversionChange;
import dev.sysextctl.core.lint.Finding;
import java.util.List;
import java.util.Map;

/**
 * What converting one torcx archive did: where it came from, the extension it became (name, version,
 * architecture and how that was chosen), every change, and the findings left for a human.
 *
 * @param architectureSource {@code option}, {@code elf} (what the binaries are for) or {@code host}
 */
public record ConversionReport(String archive, TorcxArchiveFormat format, String torcxName, String reference,
        String name, String version, String architecture, String architectureSource, boolean manifest,
        int entryCount, Map<String, String> extensionRelease, List<ConversionChange> changes,
        List<Finding> findings) {
    public ConversionReport {
        extensionRelease = Map.copyOf(extensionRelease);
        changes = List.copyOf(changes);
        findings = List.copyOf(findings);
    }
}
