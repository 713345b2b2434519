package dev.sysextctl.builder.source;

import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;

/** Receives the entries of an {@link ImageSource}. */
@FunctionalInterface
public interface EntryVisitor {
    /**
     * @param entry the entry (path relative to the image root)
     * @param content the file's bytes for {@link dev.sysextctl.core.tree.EntryType#FILE} entries (exactly
     *     {@code entry.size()} bytes, readable during this call only); null for every other type
     */
    void visit(TreeEntry entry, InputStream content) throws IOException, SysextctlException;
}
