package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.process.ZtProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What native tools answered to a probe ({@code mksquashfs -version}, the flags its {@code -help} lists), remembered
 * across runs in one file of the cache directory ({@value #FILE}), each answer keyed by the binary that gave it: its
 * real path, size, modification and change times and inode. A binary that is replaced or updated no longer matches
 * and is probed again. So a build starts mksquashfs without first running it twice to ask (README "Performance").
 * Best effort: a file that cannot be read or written is as good as none, and answers with a tab or a line break are
 * not kept.
 */
public final class ProbeMemory {
    /** The file's name in the cache directory. */
    public static final String FILE = "tool-probes";
    /** Remembers nothing: every run probes (tests with recording runners, and where no cache directory is known). */
    public static final ProbeMemory NONE = new ProbeMemory(null, false, null);
    private static final int MAX_LINES = 64;

    private final Path directory;
    private final boolean thisUsers;
    private final String searchPath;
    private final Map<String, Optional<String>> identities = new HashMap<>();
    /** Decided at the first probe, not when the tools are set up: most commands never probe. */
    private Path file;
    private boolean fileDecided;
    /** The file's lines, read once per process and kept up to date by {@link #remember}. */
    private List<String> lines;

    private ProbeMemory(Path directory, boolean thisUsers, String searchPath) {
        this.directory = directory;
        this.thisUsers = thisUsers;
        this.searchPath = searchPath;
    }

    /**
     * The answers kept in {@code dir} (created when the first answer is kept), the programs found on
     * {@code searchPath} as the process runner finds them.
     */
    public static ProbeMemory in(Path dir, String searchPath) {
        return new ProbeMemory(dir, false, searchPath);
    }

    /**
     * The answers kept in sysextctl's cache directory, as the launchers choose it (docs/cli.md §11):
     * {@code $SYSEXTCTL_CACHE_DIR}, else {@code /var/cache/sysextctl} where it can be written (root), else
     * {@code $XDG_CACHE_HOME/sysextctl} or {@code ~/.cache/sysextctl}; none (every run probes) when there is none.
     * The directory is chosen at the first probe.
     */
    public static ProbeMemory ofThisUser() {
        return new ProbeMemory(null, true, System.getenv("PATH"));
    }

    private Path file() {
        if (!fileDecided) {
            Path dir = thisUsers ? cacheDirectory(System.getenv("SYSEXTCTL_CACHE_DIR"), System.getenv("XDG_CACHE_HOME"),
                    System.getProperty("user.home")).orElse(null) : directory;
            file = dir == null ? null : dir.resolve(FILE);
            fileDecided = true;
        }
        return file;
    }

    static Optional<Path> cacheDirectory(String configured, String xdgCache, String home) {
        if (configured != null && !configured.isEmpty()) {
            return Optional.of(Path.of(configured));
        }
        Path system = Path.of("/var/cache/sysextctl");
        if (Files.isDirectory(system) ? Files.isWritable(system) : Files.isWritable(system.getParent())) {
            return Optional.of(system);
        }
        if (xdgCache != null && xdgCache.startsWith("/")) {
            return Optional.of(Path.of(xdgCache, "sysextctl"));
        }
        if (home != null && home.startsWith("/")) {
            return Optional.of(Path.of(home, ".cache", "sysextctl"));
        }
        return Optional.empty();
    }

    /** The answer {@code program}'s binary gave to {@code query} in an earlier run, or null. */
    synchronized String recall(String program, String query) {
        String id = identity(program, query);
        if (id == null) {
            return null;
        }
        String key = id + query + "\t";
        for (String line : lines()) {
            if (line.startsWith(key)) {
                return line.substring(key.length());
            }
        }
        return null;
    }

    /** Keeps {@code answer} of {@code program}'s binary to {@code query} for later runs (best effort). */
    synchronized void remember(String program, String query, String answer) {
        String id = identity(program, query);
        if (id == null || answer.indexOf('\t') >= 0 || answer.indexOf('\n') >= 0 || answer.indexOf('\r') >= 0) {
            return;
        }
        String key = id + query + "\t";
        String samePath = id.substring(0, id.indexOf('\t') + 1);
        List<String> kept = new ArrayList<>();
        for (String line : lines()) {
            // the binary's other answers stay; its earlier answer to the query and those of a binary that was
            // at the same path before (an update) go
            if (!line.isEmpty() && !line.startsWith(key) && (!line.startsWith(samePath) || line.startsWith(id))) {
                kept.add(line);
            }
        }
        kept.add(key + answer);
        List<String> written = List.copyOf(kept.subList(Math.max(0, kept.size() - MAX_LINES), kept.size()));
        try {
            Files.createDirectories(file().getParent());
            AtomicFiles.writeString(file(), String.join("\n", written) + "\n", true);
            lines = written;
        } catch (IOException | OperationFailedException e) {
            // not kept: the next run probes again
        }
    }

    private List<String> lines() {
        if (lines == null) {
            try {
                lines = List.of(Files.readString(file(), StandardCharsets.UTF_8).split("\n"));
            } catch (IOException | RuntimeException e) { // none yet, or unreadable: as good as none
                lines = List.of();
            }
        }
        return lines;
    }

    /**
     * {@code REALPATH \t SIZE \t MTIME \t CTIME \t INODE \t} of the binary {@code program} runs, or null when
     * nothing is remembered here, the binary is not found or a field cannot be kept.
     */
    private String identity(String program, String query) {
        if (file() == null || query.indexOf('\t') >= 0 || query.indexOf('\n') >= 0) {
            return null;
        }
        return identities.computeIfAbsent(program, this::identity).orElse(null);
    }

    private Optional<String> identity(String program) {
        String found = program.contains("/") ? program : ZtProcessRunner.find(program, searchPath);
        if (found == null) {
            return Optional.empty();
        }
        try {
            Path real = Path.of(found).toRealPath();
            Map<String, Object> a = Files.readAttributes(real, "unix:size,lastModifiedTime,ctime,ino");
            String id = real + "\t" + a.get("size") + "\t" + nanos(a.get("lastModifiedTime")) + "\t"
                    + nanos(a.get("ctime")) + "\t" + a.get("ino") + "\t";
            return id.chars().filter(c -> c == '\t' || c == '\n').count() == 5 ? Optional.of(id) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static long nanos(Object time) {
        FileTime t = (FileTime) time;
        return t.toInstant().getEpochSecond() * 1_000_000_000L + t.toInstant().getNano();
    }
}
