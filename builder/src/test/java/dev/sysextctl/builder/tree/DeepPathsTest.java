package dev.sysextctl.builder.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.sysextctl.builder.MemorySource;
import dev.sysextctl.builder.write.TarStreamWriter;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deep paths cost work in proportion to the directories they add: a 2000-component path with every directory
 * listed (what GNU tar writes) once cost the cube of its depth (every parent of every entry formatted again), 45 s
 * of CPU for a 10 KB archive. Time is too noisy to assert; the bytes a plan allocates are not: cubic work
 * allocates gigabytes here, linear work a few megabytes.
 */
class DeepPathsTest {
    static final ReleaseFile RELEASE = new ReleaseFile(Map.of("ID", "_any"));
    static final int DEPTH = 2000;
    static final long LINEAR_BUDGET = 200L << 20;

    /** usr, usr/d, usr/d/d, ... (DEPTH directories, each listed), then a file at the bottom. */
    static MemorySource deep(boolean listDirectories) {
        MemorySource s = new MemorySource("deep");
        String path = "usr";
        for (int i = 0; i < DEPTH; i++) {
            if (listDirectories) {
                s.dir(path, 0755);
            }
            path += "/d";
        }
        return s.file(path, "bottom");
    }

    private static long allocated() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void theTwoPassPlanOfADeepArchiveAllocatesInProportionToItsDirectories() throws Exception {
        for (boolean listed : new boolean[] {true, false}) {
            MemorySource source = deep(listed);
            Findings findings = new Findings();
            long before = allocated();
            ImagePlan plan = ImagePlan.of(LayeredTree.scan(List.of(source), findings), "x", RELEASE, 77, false);
            long used = allocated() - before;
            assertThat(plan.entries()).hasSize(DEPTH + 1 + 3); // usr/d..., the file, usr/lib/extension-release.d/...
            assertThat(findings.asList()).extracting(Finding::id).doesNotContain("unsafe-path");
            assertThat(used).as("bytes allocated, directories listed: " + listed).isLessThan(LINEAR_BUDGET);
        }
    }

    @Test
    void theSinglePassOfADeepArchiveAllocatesInProportionToItsDirectories() throws Exception {
        for (boolean listed : new boolean[] {true, false}) {
            MemorySource source = deep(listed);
            Findings findings = new Findings();
            List<TreeEntry> written = new ArrayList<>();
            SinglePassPlan plan = new SinglePassPlan("x", RELEASE, "deep", 77, false, false, findings,
                    (e, content) -> written.add(e));
            long before = allocated();
            source.scan(plan, findings);
            plan.finish();
            long used = allocated() - before;
            assertThat(written).hasSize(DEPTH + 1 + 3);
            assertThat(used).as("bytes allocated, directories listed: " + listed).isLessThan(LINEAR_BUDGET);
        }
    }

    @Test
    void theTarStreamOfADeepArchiveAllocatesInProportionToItsDirectories() throws Exception {
        MemorySource source = deep(false);
        Findings findings = new Findings();
        try (TarStreamWriter tar = new TarStreamWriter(OutputStream.nullOutputStream())) {
            SinglePassPlan plan = new SinglePassPlan("x", RELEASE, "deep", 77, false, false, findings, tar);
            long before = allocated();
            source.scan(plan, findings);
            plan.finish();
            tar.finish();
            long used = allocated() - before;
            assertThat(plan.entries()).hasSize(DEPTH + 1 + 3);
            assertThat(used).as("bytes allocated writing the tar stream").isLessThan(LINEAR_BUDGET);
        }
    }

    @Test
    void anEntryBelowAFileThatReplacedAWalkedDirectoryIsStillRefused() throws Exception {
        Findings findings = new Findings();
        MemorySource source = new MemorySource("m").file("usr/a/b/c", "c").file("usr/a", "now a file")
                .file("usr/a/b/d", "d");
        ImagePlan plan = ImagePlan.of(LayeredTree.scan(List.of(source), findings), "x", RELEASE, 77, false);
        assertThat(findings.asList()).extracting(Finding::id, Finding::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("unsafe-path", "usr/a/b/d"));
        assertThat(plan.entries()).extracting(TreeEntry::path).contains("usr/a").doesNotContain("usr/a/b",
                "usr/a/b/c", "usr/a/b/d");
    }
}
