package dev.sysextctl.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.source.DirectorySource;
import dev.sysextctl.core.process.ZtProcessRunner;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same inputs and options, byte-identical image: whatever the creation order (and so the directory listing
 * order) and the mtimes of the input. (A build by another user: cli's NonRootBuildIT.)
 */
@Requires(tools = {"mksquashfs", "mkfs.erofs"})
class ReproducibilityIT {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any", "ARCHITECTURE", "x86-64",
            "SYSEXT_VERSION_ID", "1.0"));

    @TempDir
    Path tmp;
    final NativeTools tools = new NativeTools(new ZtProcessRunner());

    private Path tree(String name, long seed) throws Exception {
        List<String> files = new ArrayList<>();
        for (int d = 0; d < 12; d++) {
            for (int f = 0; f < 25; f++) {
                files.add("usr/lib/app/d" + d + "/f" + f + ".txt");
            }
        }
        files.add("opt/app/bin/run");
        Collections.shuffle(files, new Random(seed));
        Path root = tmp.resolve(name);
        Random r = new Random(seed);
        for (String f : files) {
            Path p = Fixtures.file(root, f, "content of " + f + "\n".repeat(1 + f.length() % 7));
            Files.setLastModifiedTime(p, FileTime.fromMillis(r.nextLong() & 0xffffffffffL));
            Files.setLastModifiedTime(p.getParent(), FileTime.fromMillis(r.nextLong() & 0xffffffffffL));
        }
        return root;
    }

    private String build(Path tree, BuildFormat format, long epoch, String out) throws Exception {
        return new ImageBuilder(tools).build(BuildRequest.builder("app").source(new DirectorySource(tree))
                .extensionRelease(RELEASE).format(format).output(tmp.resolve(out)).sourceDateEpoch(epoch).build())
                .sha256();
    }

    @Test
    void shuffledCreationOrderAndMtimesGiveTheSameBytes() throws Exception {
        Path a = tree("a", 1);
        Path b = tree("b", 2);
        for (BuildFormat f : BuildFormat.values()) {
            String one = build(a, f, 1700000000, "a-" + f.cliName());
            String two = build(b, f, 1700000000, "b-" + f.cliName());
            assertThat(two).as(f.cliName()).isEqualTo(one);
            assertThat(build(a, f, 1700000001, "c-" + f.cliName())).as(f.cliName() + ", another epoch")
                    .isNotEqualTo(one);
        }
        assertThat(Files.readAllBytes(tmp.resolve("a-squashfs"))).isEqualTo(Files.readAllBytes(tmp.resolve("b-squashfs")));
        assertThat(Files.readAllBytes(tmp.resolve("a-erofs"))).isEqualTo(Files.readAllBytes(tmp.resolve("b-erofs")));
    }
}
