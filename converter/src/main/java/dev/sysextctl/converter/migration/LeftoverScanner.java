package dev.sysextctl.converter.migration;

import dev.sysextctl.converter.profile.TorcxPaths;
import dev.sysextctl.converter.rewrite.TorcxReferences;
import dev.sysextctl.converter.rewrite.UnitRewriter;
import dev.sysextctl.core.fs.RootedPaths;
import dev.sysextctl.core.tree.ImagePaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the node-side leftovers of torcx (docs/torcx.md §3 end, §5.5): everything under
 * {@code /etc/systemd/system} and {@code /etc/systemd/user} that uses {@code TORCX_*},
 * {@code /run/metadata/torcx}, {@code /run/torcx/} or {@code torcx.target}, and the generator override
 * {@code /etc/systemd/system-generators/torcx-generator}. Reads inside the root; never follows links out of it.
 */
public final class LeftoverScanner {
    private static final List<String> DIRS = List.of("/etc/systemd/system", "/etc/systemd/user");
    private static final Pattern UNIT = Pattern.compile(".*\\.(service|socket|timer|path|mount|automount|swap|"
            + "target|slice|scope|device)$");
    private static final int MAX_FILE = 1 << 20;

    private LeftoverScanner() {
    }

    public static List<Leftover> scan(Path root) {
        return scan(root, List.of());
    }

    /**
     * Scans, and for units and drop-ins suggests a rewrite using the names of the converted images (their
     * {@code /run/torcx/unpack/NAME} references).
     */
    public static List<Leftover> scan(Path root, List<String> imageNames) {
        List<Leftover> out = new ArrayList<>();
        Path rootAbs = root.toAbsolutePath().normalize();
        for (String dir : DIRS) {
            Optional<Path> d = RootedPaths.resolveExisting(root, dir);
            if (d.isEmpty() || !Files.isDirectory(d.get())) {
                continue;
            }
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(d.get())) {
                s.sorted().forEach(files::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                continue;
            }
            for (Path f : files) {
                String nodePath = dir + "/" + d.get().relativize(f).toString().replace('\\', '/');
                if (f.equals(d.get())) {
                    continue;
                }
                inspect(rootAbs, f, nodePath, imageNames).ifPresent(out::add);
            }
        }
        Optional<Path> gen = RootedPaths.resolveExisting(root, ImagePaths.directoryOf(TorcxPaths.GENERATOR_OVERRIDE))
                .map(p -> p.resolve("torcx-generator"));
        if (gen.isPresent() && Files.exists(gen.get(), LinkOption.NOFOLLOW_LINKS)) {
            String what = Files.isSymbolicLink(gen.get()) ? "a link to " + readLink(gen.get()) : "a file";
            out.add(new Leftover(TorcxPaths.GENERATOR_OVERRIDE, "generator-override",
                    List.of(new Leftover.Match(0, what)), "the torcx generator no longer exists: remove this "
                            + "override (it was only there to disable torcx)", null));
        }
        return out;
    }

    private static Optional<Leftover> inspect(Path root, Path f, String nodePath, List<String> imageNames) {
        if (Files.isSymbolicLink(f)) {
            String target = readLink(f);
            if (!TorcxReferences.mentionsTorcx(target) && !f.getFileName().toString().equals("torcx.target")) {
                return Optional.empty();
            }
            return Optional.of(new Leftover(nodePath, "link", List.of(new Leftover.Match(0, "-> " + target)),
                    "remove the link: what it points to does not exist without torcx", null));
        }
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        List<Leftover.Match> matches = new ArrayList<>();
        String text;
        try {
            if (Files.size(f) > MAX_FILE) {
                return Optional.empty();
            }
            text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String t = line.stripLeading();
                if (t.startsWith("#") || t.startsWith(";")) {
                    continue;
                }
                if (TorcxReferences.mentionsTorcx(line)) {
                    matches.add(new Leftover.Match(i + 1, line.strip()));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        String parent = f.getParent().getFileName().toString();
        String kind = parent.endsWith(".d") ? "drop-in" : UNIT.matcher(f.getFileName().toString()).matches()
                ? "unit" : "file";
        String advice = switch (kind) {
            case "drop-in" -> "rewrite or remove this drop-in: drop EnvironmentFile=/run/metadata/torcx and "
                    + "torcx.target, use /usr/bin/... for ${TORCX_BINDIR}/..., and paths under /usr for "
                    + "${TORCX_UNPACKDIR}${TORCX_IMAGEDIR}/...; the converted units need none of it";
            case "unit" -> "rewrite this unit: the same rules as for drop-ins (the converted images carry their "
                    + "own units in /usr/lib/systemd/system; a copy in /etc overrides them)";
            default -> "update the torcx paths in this file (/run/torcx/bin -> /usr/bin)";
        };
        String suggestion = null;
        if (!kind.equals("file")) {
            String rewritten = text;
            for (String name : imageNames.isEmpty() ? List.of("") : imageNames) {
                rewritten = new UnitRewriter(new TorcxReferences(name)).rewrite(rewritten).text();
            }
            if (!rewritten.equals(text) && !TorcxReferences.mentionsTorcx(rewritten)) {
                suggestion = rewritten;
            }
        }
        return Optional.of(new Leftover(nodePath, kind, matches, advice, suggestion));
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "?";
        }
    }
}
