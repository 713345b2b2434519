package dev.sysextctl.builder.tree;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;

/**
 * Receives the entries of an {@link ImagePlan} in writing order: every directory first (parents before
 * children), then files, links and nodes in source order, the extension-release among them before the first that
 * sorts after it in {@link PathOrder} (else last). A hard link always comes after the entry it links to.
 */
@FunctionalInterface
public interface TreeSink {
    /**
     * @param entry the entry as the image holds it (owner, mode and time final)
     * @param content exactly {@code entry.size()} bytes for files, readable during this call only; else null
     */
    void add(TreeEntry entry, InputStream content) throws IOException, SysextctlException;
}
