package dev.sysextctl.converter.archive;

import dev.sysextctl.builder.write.ScratchFiles;
import dev.sysextctl.core.tree.EntryType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A torcx archive read once into a private staging directory: every entry's metadata in archive order (a
 * repeated path keeps the last one, as an unpacking tar would) and every regular file's bytes as a blob.
 * Nothing is ever created from an archive path: blobs are numbered files, so hostile names cannot write
 * anywhere. Of a {@code .torcx.tgz} only the files the conversion may change are staged; the others are read from
 * the archive ({@link StagedEntry#streamed()}). Closing deletes the staging directory.
 */
public final class StagedArchive implements AutoCloseable {
    private static final int MAX_READ = 16 << 20;
    private final Path archive;
    private final TorcxArchiveFormat format;
    private final Path stagingDir;
    private final ScratchFiles scratch;
    private final Map<String, StagedEntry> entries;
    private final List<RejectedEntry> rejected;
    private final List<String> notes;

    StagedArchive(Path archive, TorcxArchiveFormat format, Path stagingDir, ScratchFiles scratch,
            List<StagedEntry> inOrder, List<RejectedEntry> rejected, List<String> notes) {
        this.archive = archive;
        this.format = format;
        this.stagingDir = stagingDir;
        this.scratch = scratch;
        Map<String, StagedEntry> m = new LinkedHashMap<>();
        for (StagedEntry e : inOrder) {
            m.remove(e.path());
            m.put(e.path(), e);
        }
        this.entries = Collections.unmodifiableMap(m);
        this.rejected = List.copyOf(rejected);
        this.notes = List.copyOf(notes);
    }

    public Path archive() {
        return archive;
    }

    public TorcxArchiveFormat format() {
        return format;
    }

    /** Every usable entry in archive order (the image root itself included when the archive has it). */
    public List<StagedEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<StagedEntry> get(String path) {
        return Optional.ofNullable(entries.get(path));
    }

    /** The entries directly inside the directory {@code path}, sorted by name. */
    public List<StagedEntry> children(String path) {
        List<StagedEntry> out = new ArrayList<>();
        for (StagedEntry e : entries.values()) {
            if (!e.path().isEmpty() && path.equals(e.entry().parent())) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(StagedEntry::path));
        return out;
    }

    /** Every entry strictly below the directory {@code path}, sorted by path. */
    public List<StagedEntry> descendants(String path) {
        String prefix = path.isEmpty() ? "" : path + "/";
        List<StagedEntry> out = new ArrayList<>();
        for (StagedEntry e : entries.values()) {
            if (!e.path().isEmpty() && e.path().startsWith(prefix)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(StagedEntry::path));
        return out;
    }

    /** Entries that were refused (absolute names, {@code ..}, links leaving the tree). */
    public List<RejectedEntry> rejected() {
        return rejected;
    }

    /** Things worth telling about the reading itself (duplicates, what could not be carried over). */
    public List<String> notes() {
        return notes;
    }

    /** The bytes of a regular file entry (at most 16 MiB of one streamed from the archive). */
    public byte[] read(StagedEntry e) throws IOException {
        if (e.type() != EntryType.FILE || e.blob() == null && !e.streamed()) {
            throw new IOException(e.path() + " is not a regular file");
        }
        if (e.blob() != null) {
            return Files.readAllBytes(e.blob());
        }
        try (InputStream in = TgzMembers.open(archive, e.member())) {
            byte[] b = in.readNBytes(MAX_READ + 1);
            if (b.length > MAX_READ) {
                throw new IOException(e.path() + " is larger than " + (MAX_READ >> 20) + " MiB");
            }
            return b;
        }
    }

    Path stagingDir() {
        return stagingDir;
    }

    @Override
    public void close() {
        scratch.close();
    }
}
