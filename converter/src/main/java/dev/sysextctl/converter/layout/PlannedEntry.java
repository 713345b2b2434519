package dev.sysextctl.converter.layout;

import dev.sysextctl.core.tree.TreeEntry;

/**
 * One entry of the converted image: what it is ({@code entry}, path relative to the sysext root), where its
 * bytes come from ({@code content}, regular files only), and where it came from ({@code origin}: the path in
 * the torcx image, null for entries the converter made).
 */
public record PlannedEntry(TreeEntry entry, EntryContent content, String origin, Origin kind) {
    /** How an entry got into the image. */
    public enum Origin {
        /** An archive entry at its relocated path. */
        ARCHIVE,
        /** A copy or link the manifest asked for (torcx's propagation into its runtime directories). */
        MANIFEST,
        /** Made by the converter: {@code Upholds=} drop-ins, missing parent directories. */
        GENERATED
    }

    public String path() {
        return entry.path();
    }

    public PlannedEntry with(TreeEntry newEntry, EntryContent newContent) {
        return new PlannedEntry(newEntry, newContent, origin, kind);
    }
}
