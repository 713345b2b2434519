package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One tool, one answer (issue 14): list's STATE and its description of /dev/null links agree with the rules. */
class OneAnswerTest {
    @TempDir
    Path root;

    @BeforeEach
    void node() throws Exception {
        NodeTrees.debianRoot(root);
    }

    private void directoryImage(String dir, String name, String release) throws Exception {
        NodeTrees.directoryImage(root, dir, name, release);
    }

    @Test
    void anIncompatibleImageIsListedAsRefusedNotActive() throws Exception {
        directoryImage("var/lib/extensions", "fed", "ID=fedora\nVERSION_ID=40\n");
        directoryImage("var/lib/extensions", "deb", "ID=debian\nVERSION_ID=12\n");
        Cli.Run r = Cli.run("list", "--root", root.toString(), "--no-legend");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("fed ") && l.contains(" directory "))).singleElement().asString()
                .contains(" refused ").doesNotContain(" active ");
        assertThat(r.out().lines().filter(l -> l.startsWith("deb ") && l.contains(" directory "))).singleElement().asString()
                .contains(" active ");
    }

    @Test
    void aDevNullLinkIsDescribedAsDisablingABuiltInImage() throws Exception {
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"), Path.of("/dev/null"));
        Cli.Run r = Cli.run("list", "--root", root.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("/etc/extensions/docker-flatcar.raw: a link to /dev/null: disables a built-in "
                + "image whose link it replaces").doesNotContain("not an image;");
    }
}
