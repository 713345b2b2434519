package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every citation of the project's documents resolves (issue 13). The whole repository is scanned (sources and
 * tests of every module, scripts, resources, README.md, DEVELOPERS.md, the documents themselves), so citations
 * added later are checked too:
 * <ul>
 *   <li>a document mention (a file name ending in {@code .md}, such as {@code docs/cli.md} or {@code cli.md}) must
 *       name an existing file: under {@code docs/}, beside the citing file, or at the top of the repository;</li>
 *   <li>a section sign with a number (as in {@code docs/compatibility.md §2.4}, a range {@code §1.2–1.4}, or
 *       {@code §7's}) must name a numbered heading ({@code ## 2. …}, {@code ### 2.4 …}) of its document. Its document is the one mentioned just before it
 *       (only separators and other sections in between); otherwise, in a document under {@code docs/}, that
 *       document itself, and elsewhere the document mentioned last before it in the file (or the first one
 *       after it). A section sign in a file that mentions no document is dangling;</li>
 *   <li>the retired background documents are not named any more;</li>
 *   <li>every systemd-sysext scenario id a test uses (K01…) is in the catalogue of docs/compatibility.md §7.</li>
 * </ul>
 */
class DocsReferencesTest {
    private static final Pattern MENTION = Pattern.compile(
            "(?<![\\w/.-])((?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\\.md)(?![\\w])");
    private static final Pattern SECTION = Pattern.compile(
            "§\\s?(\\d+(?:\\.\\d+)*)(?:\\s?[–-]\\s?(\\d+(?:\\.\\d+)*)(?![\\w]))?");
    /** What may stand between a document and its sections: separators and further sections. */
    private static final Pattern CHAIN = Pattern.compile(
            "[\\s)\\]`,;(]*(?:§\\s?\\d+(?:\\.\\d+)*(?:\\s?[–-]\\s?\\d+(?:\\.\\d+)*)?[\\s)\\]`,;(]*)*");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(\\d+(?:\\.\\d+)*)\\.?\\s", Pattern.MULTILINE);
    private static final Pattern SCENARIO = Pattern.compile("\\bK(\\d{2})\\b|\\bvoid k(\\d{2})[a-z]?\\w*\\(");
    private static final Pattern CATALOGUE_ROW = Pattern.compile("^\\| K(\\d{2}) \\|", Pattern.MULTILINE);
    private static final List<String> RETIRED = List.of("systemd-sysext", "torcx-and-flatcar", "test-environment",
            "images-and-distribution", "peers-and-style");
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("target", ".git", ".mvn", ".idea", "node_modules");
    private static final long MAX_SIZE = 4L << 20;

    private static Path root;
    private static Map<Path, String> files;

    @BeforeAll
    static void scan() throws IOException {
        root = repositoryRoot();
        files = textFiles(root);
    }

    @Test
    void theDocumentsExistWithNumberedSections() {
        for (String name : List.of("README.md", "cli.md", "compatibility.md", "torcx.md", "testing.md")) {
            assertThat(root.resolve("docs").resolve(name)).as("docs/" + name).isRegularFile();
        }
        assertThat(headings(root.resolve("docs/compatibility.md"))).contains("1.2", "2.4", "4.9", "7", "8");
        assertThat(files).as("files scanned").containsKey(root.resolve("README.md"))
                .containsKey(root.resolve("cli/src/main/java/dev/sysextctl/cli/ExitCodes.java"));
    }

    @Test
    void everyCitedDocumentAndSectionExists() {
        List<String> dangling = new ArrayList<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            dangling.addAll(dangling(f.getKey(), f.getValue()));
        }
        assertThat(dangling).as("citations that point at nothing (cite an existing docs/<name>.md and one of its "
                + "numbered headings, or add the section)").isEmpty();
    }

    @Test
    void theRetiredBackgroundDocumentsAreNotNamed() {
        List<String> found = new ArrayList<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            for (String old : RETIRED) {
                if (f.getValue().contains(old + ".md")) {
                    found.add(root.relativize(f.getKey()) + ": " + old + ".md");
                }
            }
            if (f.getValue().contains("shared" + "/spec")) {
                found.add(root.relativize(f.getKey()) + ": " + "shared" + "/spec");
            }
        }
        assertThat(found).as("names of documents outside the repository; cite docs/ instead").isEmpty();
    }

    @Test
    void everyScenarioIdUsedIsInTheCatalogue() {
        Set<String> catalogue = new TreeSet<>();
        Matcher row = CATALOGUE_ROW.matcher(read(root.resolve("docs/compatibility.md")));
        while (row.find()) {
            catalogue.add(row.group(1));
        }
        assertThat(catalogue).as("the K-scenario rows of docs/compatibility.md §7").hasSizeGreaterThan(40);
        Set<String> missing = new TreeSet<>();
        for (Map.Entry<Path, String> f : files.entrySet()) {
            if (f.getKey().startsWith(root.resolve("docs"))) {
                continue;
            }
            Matcher m = SCENARIO.matcher(f.getValue());
            while (m.find()) {
                String id = m.group(1) != null ? m.group(1) : m.group(2);
                if (!catalogue.contains(id)) {
                    missing.add("K" + id + " (" + root.relativize(f.getKey()) + ")");
                }
            }
        }
        assertThat(missing).as("scenario ids not in docs/compatibility.md §7").isEmpty();
    }

    /** The dangling citations of one file, each as "path:line: what". */
    static List<String> dangling(Path file, String text) {
        List<String> out = new ArrayList<>();
        boolean isDoc = file.startsWith(root.resolve("docs"));
        List<int[]> spans = new ArrayList<>();
        List<Path> targets = new ArrayList<>();
        Matcher m = MENTION.matcher(text);
        while (m.find()) {
            Path target = resolve(file, m.group(1));
            if (target == null) {
                out.add(where(file, text, m.start()) + "no such document: " + m.group(1));
            }
            spans.add(new int[] {m.start(), m.end()});
            targets.add(target);
        }
        Matcher s = SECTION.matcher(text);
        while (s.find()) {
            int before = -1;
            for (int i = 0; i < spans.size() && spans.get(i)[1] <= s.start(); i++) {
                before = i;
            }
            Path doc;
            if (before >= 0 && CHAIN.matcher(text.substring(spans.get(before)[1], s.start())).matches()) {
                doc = targets.get(before);
            } else if (isDoc) {
                doc = file;
            } else if (before >= 0) {
                doc = targets.get(before);
            } else if (!spans.isEmpty()) {
                doc = targets.get(0);
            } else {
                out.add(where(file, text, s.start()) + "§" + s.group(1) + " names no document; write docs/<name>.md §"
                        + s.group(1));
                continue;
            }
            if (doc == null) {
                continue; // the missing document is reported already
            }
            Set<String> sections = headings(doc);
            for (String number : s.group(2) == null ? List.of(s.group(1)) : List.of(s.group(1), s.group(2))) {
                if (!sections.contains(number)) {
                    out.add(where(file, text, s.start()) + root.relativize(doc) + " has no section " + number);
                }
            }
        }
        return out;
    }

    private static Path resolve(Path file, String name) {
        List<Path> candidates = new ArrayList<>();
        if (!name.contains("/")) {
            candidates.add(root.resolve("docs").resolve(name));
        }
        candidates.add(file.getParent().resolve(name));
        candidates.add(root.resolve(name));
        for (Path c : candidates) {
            Path n = c.normalize();
            if (n.startsWith(root) && Files.isRegularFile(n)) {
                return n;
            }
        }
        return null;
    }

    private static final Map<Path, Set<String>> HEADINGS = new HashMap<>();

    private static synchronized Set<String> headings(Path doc) {
        return HEADINGS.computeIfAbsent(doc, d -> {
            Set<String> out = new LinkedHashSet<>();
            Matcher h = HEADING.matcher(read(d));
            while (h.find()) {
                out.add(h.group(1));
            }
            return out;
        });
    }

    private static String where(Path file, String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return root.relativize(file) + ":" + line + ": ";
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("cli")))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository's top directory (with mvnw) above " + Path.of("").toAbsolutePath())
                .isNotNull();
        return p;
    }

    /** Every text file of the repository, without build output and VCS metadata. */
    private static Map<Path, String> textFiles(Path top) throws IOException {
        Map<Path, String> out = new HashMap<>();
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(top) && SKIPPED_DIRECTORIES.contains(dir.getFileName().toString())
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && attrs.size() <= MAX_SIZE && isText(file)) {
                    out.put(file, read(file));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static boolean isText(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8192);
            for (byte b : head) {
                if (b == 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
