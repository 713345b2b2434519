package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images of the end-to-end tests come from {@code sysextctl build}: this proves that such an image holds what
 * the test wrote, nothing more and nothing less (every path with its type, permission bits and content, all owned by
 * root; the extension-release fields, in whatever order the builder writes them).
 */
@Requires(root = true, tools = {"mksquashfs", "unsquashfs"})
class ExtensionImageIT {
    private static final String RELEASE = "usr/lib/extension-release.d/extension-release.docker";

    @TempDir
    Path tmp;

    @Test
    void anImageBuiltBySysextctlHoldsExactlyTheTreeAndTheReleaseFieldsOfTheTest() throws IOException {
        ExtensionImage image = DaemonExtension.dockerLike("28.0.4").image(new OsRelease("debian", "12"));
        Path raw = image.squashfs(tmp.resolve("built"));
        Path tree = image.writeTree(tmp.resolve("written"));
        Path extracted = tmp.resolve("extracted");
        Shell.run("unsquashfs", "-no-progress", "-d", extracted.toString(), raw.toString()).assertSuccess();

        Map<String, String> inImage = describe(extracted);
        Map<String, String> written = describe(tree);
        assertThat(inImage.keySet()).as("the paths in the image").isEqualTo(written.keySet());
        assertThat(inImage).as("type, mode, owner and content of every path").isEqualTo(written);
        assertThat(fields(extracted.resolve(RELEASE))).as("the extension-release fields")
                .isEqualTo(fields(tree.resolve(RELEASE)))
                .containsEntry("SYSEXT_VERSION_ID", "28.0.4").containsEntry("EXTENSION_RELOAD_MANAGER", "1");
    }

    /** Path → {@code TYPE CONTENT MODE UID:GID}, the release file's content left out (compared by fields). */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(p -> !p.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                // the tree on the host is owned by whoever ran the test; the builder makes everything root's
                String owner = root.getFileName().toString().equals("extracted")
                        ? Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                                + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS) : "0:0";
                String type = Files.isSymbolicLink(p) ? "l " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "d"
                        : "f " + (rel.equals(RELEASE) ? "(release)" : Files.readString(p));
                out.put(rel, String.format("%s %o %s", type, mode & 07777, owner));
            }
        }
        return out;
    }

    private static Map<String, String> fields(Path releaseFile) throws IOException {
        List<String> lines = Files.readAllLines(releaseFile);
        return lines.stream().filter(l -> !l.isBlank()).map(l -> l.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1], (a, b) -> b, TreeMap::new));
    }
}
