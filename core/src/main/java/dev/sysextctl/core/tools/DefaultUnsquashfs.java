package dev.sysextctl.core.tools;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.fs.TreeDeletion;
import dev.sysextctl.core.process.Command;
import dev.sysextctl.core.process.CommandFailedException;
import dev.sysextctl.core.process.ProcessResult;
import dev.sysextctl.core.process.ProcessRunner;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** unsquashfs through the {@link ProcessRunner}; parses {@code -lln} listings. */
public final class DefaultUnsquashfs extends ProbedTool implements Unsquashfs {
    public static final String PROGRAM = "unsquashfs";
    private static final String ROOT = "squashfs-root";
    private static final ToolVersionProbe VERSION = new ToolVersionProbe(PROGRAM, "-version",
            Pattern.compile("unsquashfs version (\\d+(?:\\.\\d+)+)"), "squashfs-tools");

    /**
     * How a listing line reads, made when the first listing is parsed: the node commands construct this tool with
     * the others and never run it ({@code list}, {@code status}), and a date pattern sets up {@code java.time}'s
     * formatting (fields, chronology, locale data) in every run that makes one.
     */
    private static final class Listing {
        static final Pattern LINE = Pattern.compile(
                "^([-dlcbps][-rwxsStT]{9}) (\\d+)/(\\d+) +(\\d+|\\d+, *\\d+) (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d) (.*)$");
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

        private Listing() {
        }
    }

    public DefaultUnsquashfs(ProcessRunner runner, ToolVersionCache versions) {
        super(runner, versions, VERSION);
    }

    @Override
    public List<TreeEntry> list(Path image) throws OperationFailedException {
        ProcessResult r = runner.run(Command.of(PROGRAM, "-lln", "-no-progress", image.toString())
                .withEnvironment("TZ", "UTC"));
        if (!r.succeeded()) {
            throw notSquashfs(image, r);
        }
        return parseListing(r.stdout());
    }

    /**
     * Extracts the one file to a scratch directory and reads it: {@code unsquashfs -cat} would do, but the
     * process runner captures stdout as text, which is not binary-safe.
     */
    @Override
    public byte[] cat(Path image, String path) throws OperationFailedException {
        Path scratch = null;
        try {
            scratch = java.nio.file.Files.createTempDirectory("sysextctl-cat");
            Path dest = scratch.resolve("x");
            extract(image, dest, List.of(path));
            Path file = dest.resolve(path);
            if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new OperationFailedException(path + " is not a regular file in " + image);
            }
            return java.nio.file.Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new OperationFailedException("cannot read " + path + " from " + image + ": " + e.getMessage()
                    + "; check that the temporary directory is writable");
        } finally {
            TreeDeletion.deleteQuietly(scratch);
        }
    }

    @Override
    public void extract(Path image, Path destination, List<String> paths) throws OperationFailedException {
        List<String> argv = new ArrayList<>(List.of(PROGRAM, "-no-progress", "-d", destination.toString(),
                image.toString()));
        argv.addAll(paths);
        ProcessResult r = runner.run(Command.of(argv));
        if (!r.succeeded()) {
            throw new CommandFailedException(r, "cannot extract from " + image);
        }
    }

    private static OperationFailedException notSquashfs(Path image, ProcessResult r) {
        return new CommandFailedException(r, image + " is not a readable squashfs image");
    }

    /** Parses {@code unsquashfs -lln} output (visible for tests). */
    public static List<TreeEntry> parseListing(String listing) {
        List<TreeEntry> out = new ArrayList<>();
        for (String line : listing.split("\n")) {
            Matcher m = Listing.LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String perms = m.group(1);
            EntryType type = switch (perms.charAt(0)) {
                case 'd' -> EntryType.DIRECTORY;
                case 'l' -> EntryType.SYMLINK;
                case 'c' -> EntryType.CHAR_DEVICE;
                case 'b' -> EntryType.BLOCK_DEVICE;
                case 'p' -> EntryType.FIFO;
                case 's' -> EntryType.SOCKET;
                default -> EntryType.FILE;
            };
            String name = m.group(6);
            String target = null;
            if (type == EntryType.SYMLINK) {
                int arrow = name.indexOf(" -> ");
                if (arrow >= 0) {
                    target = name.substring(arrow + 4);
                    name = name.substring(0, arrow);
                }
            }
            if (!name.startsWith(ROOT)) {
                continue;
            }
            String path = name.equals(ROOT) ? "" : name.substring(ROOT.length() + 1);
            long size = 0;
            int major = 0;
            int minor = 0;
            String sz = m.group(4);
            if (sz.contains(",")) {
                String[] mm = sz.split(", *");
                major = Integer.parseInt(mm[0]);
                minor = Integer.parseInt(mm[1]);
            } else {
                size = Long.parseLong(sz);
            }
            long mtime = LocalDateTime.parse(m.group(5), Listing.TIME).toEpochSecond(ZoneOffset.UTC);
            out.add(new TreeEntry(path, type, parseMode(perms), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), type == EntryType.DIRECTORY ? 0 : size, target, major, minor,
                    mtime, null));
        }
        return out;
    }

    /** {@code -rwsr-xr-T} → {@code 05754}. */
    public static int parseMode(String perms) {
        int mode = 0;
        for (int i = 0; i < 9; i++) {
            char c = perms.charAt(i + 1);
            boolean set = c != '-' && c != 'S' && c != 'T';
            if (set) {
                mode |= 1 << (8 - i);
            }
        }
        char u = perms.charAt(3);
        char g = perms.charAt(6);
        char o = perms.charAt(9);
        if (u == 's' || u == 'S') {
            mode |= TreeEntry.SETUID;
        }
        if (g == 's' || g == 'S') {
            mode |= TreeEntry.SETGID;
        }
        if (o == 't' || o == 'T') {
            mode |= TreeEntry.STICKY;
        }
        return mode;
    }
}
