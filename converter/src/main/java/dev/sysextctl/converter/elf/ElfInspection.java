package dev.sysextctl.converter.elf;

import java.util.List;
import java.util.Optional;

/**
 * What {@link RunpathRewriter} found in a file: whether it is ELF at all, its architecture, every runpath
 * (kept or changed) and, for a malformed ELF file, why it was left alone.
 */
public record ElfInspection(boolean elf, Optional<String> architecture, int machine, List<String> runpaths,
        List<RunpathChange> changes, String problem) {
    public static final ElfInspection NOT_ELF = new ElfInspection(false, Optional.empty(), 0, List.of(), List.of(),
            null);

    public ElfInspection {
        runpaths = List.copyOf(runpaths);
        changes = List.copyOf(changes);
    }

    public boolean changed() {
        return changes.stream().anyMatch(RunpathChange::applied);
    }
}
