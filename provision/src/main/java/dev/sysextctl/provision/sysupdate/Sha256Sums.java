package dev.sysextctl.provision.sysupdate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code SHA256SUMS} index in {@code sha256sum} format ({@code HASH  NAME}, or {@code HASH *NAME}), the form
 * systemd-sysupdate reads (docs/compatibility.md §6.3). Lines are kept as they were; new entries are appended.
 */
public final class Sha256Sums {
    private static final Pattern LINE = Pattern.compile("([0-9a-fA-F]{64}) [ *](.+)");

    /** One line of the index. */
    public record Entry(String sha256, String fileName, String line) {
        public static Entry of(String sha256, String fileName) {
            return new Entry(sha256, fileName, sha256 + "  " + fileName);
        }
    }

    private final List<Entry> entries;

    private Sha256Sums(List<Entry> entries) {
        this.entries = entries;
    }

    public static Sha256Sums empty() {
        return new Sha256Sums(new ArrayList<>());
    }

    /**
     * Parses an index the way sysupdate does.
     *
     * @throws IllegalArgumentException with "line N: why" when sysupdate would refuse it
     */
    public static Sha256Sums parse(String text) {
        List<Entry> out = new ArrayList<>();
        if (text.isEmpty()) {
            return new Sha256Sums(out);
        }
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line has no newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not 'SHA256  FILENAME'");
            }
            String name = m.group(2);
            if (name.startsWith("\\") || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")
                    || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("line " + (i + 1) + " names an invalid file '" + name + "'");
            }
            out.add(new Entry(m.group(1).toLowerCase(java.util.Locale.ROOT), name, line));
        }
        return new Sha256Sums(out);
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public Optional<Entry> find(String fileName) {
        return entries.stream().filter(e -> e.fileName().equals(fileName)).findFirst();
    }

    /** Appends an entry unless the same file is listed already (the caller checks that the hash agrees). */
    public Sha256Sums with(String sha256, String fileName) {
        if (find(fileName).isPresent()) {
            return this;
        }
        List<Entry> next = new ArrayList<>(entries);
        next.add(Entry.of(sha256, fileName));
        return new Sha256Sums(next);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            sb.append(e.line()).append('\n');
        }
        return sb.toString();
    }
}
