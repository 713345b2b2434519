package dev.sysextctl.converter.archive;

import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;

/**
 * One entry of a torcx archive as it was read: {@code entry.path()} is the normalised path inside the image root
 * (what {@code /run/torcx/unpack/NAME/} held), ownership and modes exactly as the archive says. A regular file the
 * conversion may change (an ELF binary, a unit or a text naming torcx) carries its bytes in {@code blob}, a
 * private copy in the staging directory; every other regular file of a {@code .torcx.tgz} stays in the archive and
 * is streamed from it ({@code member}: its ordinal among the archive's entries, {@link TgzMembers}); hard links
 * name their target's normalised path in {@code entry.linkTarget()}.
 */
public record StagedEntry(TreeEntry entry, Path blob, int member) {
    /** An entry with its bytes staged (or none). */
    public StagedEntry(TreeEntry entry, Path blob) {
        this(entry, blob, -1);
    }

    public String path() {
        return entry.path();
    }

    public EntryType type() {
        return entry.type();
    }

    /** True when the bytes are read from the archive itself, not from a staged copy. */
    public boolean streamed() {
        return blob == null && member >= 0;
    }
}
