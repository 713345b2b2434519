package dev.sysextctl.converter.archive;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;

/**
 * One entry of a torcx archive as it was read: {@code entry.path()} is the normalised path inside the image root
 * (what {@code /run/torcx/unpack/NAME/} held), ownership and modes exactly as the archive says. Regular files
 * carry their bytes in {@code blob}, a private copy in the staging directory; hard links name their target's
 * normalised path in {@code entry.linkTarget()}.
 */
public record StagedEntry(TreeEntry entry, Path blob) {
    public String path() {
        return entry.path();
    }

    public EntryType type() {
        return entry.type();
    }
}
