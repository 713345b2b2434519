package dev.sysextctl.builder;

import dev.sysextctl.builder.source.EntryVisitor;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An image source held in memory, for tests: entries in order, with file contents. */
public final class MemorySource implements ImageSource {
    private final String name;
    private final List<TreeEntry> entries = new ArrayList<>();
    private final List<String> contents = new ArrayList<>();
    /** Scans done so far (to simulate a source that changes between passes). */
    public int scans;
    private Runnable beforeSecondScan = () -> { };

    public MemorySource(String name) {
        this.name = name;
    }

    public MemorySource dir(String path, int mode) {
        return add(TreeEntry.directory(path, mode), null);
    }

    public MemorySource file(String path, String content) {
        return file(path, 0644, content);
    }

    public MemorySource file(String path, int mode, String content) {
        return add(TreeEntry.file(path, mode, content.getBytes(StandardCharsets.UTF_8).length), content);
    }

    public MemorySource symlink(String path, String target) {
        return add(TreeEntry.symlink(path, target), null);
    }

    public MemorySource hardlink(String path, String target) {
        return add(new TreeEntry(path, EntryType.HARDLINK, 0644, 0, 0, 0, target, 0, 0, 0, null), null);
    }

    public MemorySource add(TreeEntry e, String content) {
        entries.add(e);
        contents.add(content);
        return this;
    }

    public MemorySource onSecondScan(Runnable r) {
        this.beforeSecondScan = r;
        return this;
    }

    public List<TreeEntry> entries() {
        return entries;
    }

    public void replace(int index, TreeEntry e, String content) {
        entries.set(index, e);
        contents.set(index, content);
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException {
        if (++scans == 2) {
            beforeSecondScan.run();
        }
        for (int i = 0; i < entries.size(); i++) {
            String c = contents.get(i);
            visitor.visit(entries.get(i), c == null ? null : new ByteArrayInputStream(c.getBytes(StandardCharsets.UTF_8)));
        }
    }
}
