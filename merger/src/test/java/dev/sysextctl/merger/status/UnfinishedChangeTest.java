package dev.sysextctl.merger.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.fs.ScratchOwner;
import dev.sysextctl.core.tools.MergeAction;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status says when the last merge change was cut short (its process is gone) or is still under way. */
class UnfinishedChangeTest {
    @TempDir
    Path root;

    private Node node() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        return Node.open(root, null, Map.of());
    }

    @Test
    void aRefreshWhoseProcessDiedIsReportedOnEveryHierarchyUntilTheNextChangeEnds() throws Exception {
        Node n = node();
        ScratchOwner self = ScratchOwner.self();
        ScratchOwner dead = new ScratchOwner(self.pid(), self.startTicks() + 5, self.boot());
        Files.createDirectories(root.resolve("run"));
        Files.writeString(root.resolve("run/sysextctl.unfinished"), "refresh " + dead.token() + " 1796000000\n");

        assertThat(UnfinishedChange.note(n)).hasValueSatisfying(s -> assertThat(s)
                .startsWith("the last refresh (pid " + self.pid() + ", 2026-").contains("did not finish")
                .endsWith("run 'sysextctl refresh'"));
        HierarchyStatus usr = StatusReader.read(n).stream().filter(h -> h.hierarchy().equals("/usr")).findFirst()
                .orElseThrow();
        assertThat(usr.merged()).isFalse();
        assertThat(usr.note()).contains("the last refresh").contains("did not finish");

        UnfinishedChange.begin(n, MergeAction.REFRESH);
        assertThat(UnfinishedChange.note(n)).hasValueSatisfying(s -> assertThat(s)
                .startsWith("a refresh is under way (pid " + self.pid()));
        UnfinishedChange.end(n);
        assertThat(UnfinishedChange.note(n)).isEmpty();
        assertThat(root.resolve("run")).isEmptyDirectory();
    }

    @Test
    void garbageInTheRecordIsIgnored() throws Exception {
        Node n = node();
        Files.createDirectories(root.resolve("run"));
        Files.writeString(root.resolve("run/sysextctl.unfinished"), "rm -rf / 1-2-zz 3\n");
        assertThat(UnfinishedChange.note(n)).isEmpty();
    }
}
