package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets one line naming the problem and the fix, the contract's exit code, no stack trace and no Java
 * class name (issue 14, "Errors that say what happened"). Runs in-process; no native tool is needed.
 */
class ErrorMessagesTest {
    @TempDir
    Path tmp;
    Path root;
    Path tree;

    @BeforeEach
    void node() throws Exception {
        root = NodeTrees.debianRoot(tmp.resolve("root"));
        tree = NodeTrees.helloTree(tmp.resolve("tree"));
    }

    private static void oneLine(Cli.Run r, int exit, String... parts) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("sysextctl: ").contains(parts).doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private Path directoryImage(String dir, String name) throws Exception {
        return NodeTrees.directoryImage(root, dir, name, "ID=debian\nVERSION_ID=12\n");
    }

    @Test
    void validateWithAnOsReleaseWithoutIdIsAUsageError() throws Exception {
        Path osRelease = tmp.resolve("os-release");
        Files.writeString(osRelease, "VERSION_ID=12\n");
        oneLine(Cli.run("validate", "--os-release", osRelease.toString(), tree.toString()), 2,
                "--os-release " + osRelease + " has no ID=", "give the target's os-release file");
    }

    @Test
    void explainOfAnUnknownNameExitsOneWithNoImageNamed() {
        oneLine(Cli.run("explain", "--root", root.toString(), "nosuch"), 1, "no image named 'nosuch'",
                "sysextctl list");
    }

    @Test
    void disableOfAnUnknownNameExitsOneWithNoImageNamed() {
        oneLine(Cli.run("disable", "--root", root.toString(), "nosuch", "--no-reload"), 1,
                "no image named 'nosuch'");
    }

    @Test
    void disableOfAnImageThatIsPresentButNotEnabledStillSucceeds() throws Exception {
        directoryImage("var/lib/extensions", "tools");
        Cli.Run r = Cli.run("disable", "--root", root.toString(), "tools", "--no-reload");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("'tools' is not enabled");
    }

    @Test
    void enableUnderRootOfAMissingFileSaysItDoesNotExist() {
        oneLine(Cli.run("enable", "--root", root.toString(), "/srv/store/x.raw", "--no-reload"), 2,
                "/srv/store/x.raw does not exist", "neither inside --root " + root);
    }

    @Test
    void enableUnderRootTakesAnAbsolutePathAsOneInsideTheRoot() throws Exception {
        directoryImage("srv/store", "tools");
        Cli.Run r = Cli.run("enable", "--root", root.toString(), "/srv/store/tools", "--no-reload");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/tools")))
                .isEqualTo(Path.of("../../srv/store/tools"));
        Cli.Run again = Cli.run("enable", "--root", root.toString(), root.resolve("srv/store/tools").toString(),
                "--no-reload");
        assertThat(again.exit()).as("a host path inside the root keeps working: " + again).isZero();
        assertThat(again.out() + again.err()).contains("already enabled");
    }

    @Test
    void enableUnderRootOfAHostFileOutsideTheRootSaysSo() throws Exception {
        Path outside = tmp.resolve("elsewhere/x.raw");
        Files.createDirectories(outside.getParent());
        Files.writeString(outside, "x");
        oneLine(Cli.run("enable", "--root", root.toString(), outside.toString(), "--no-reload"), 2,
                "is outside --root");
    }

    @Test
    void inspectOfATextFileSaysItIsNotAnImage() throws Exception {
        Path text = tmp.resolve("notes.raw");
        Files.writeString(text, "hello\n");
        Cli.Run r = Cli.run("inspect", text.toString());
        oneLine(r, 1, text + " is not an image", "sysextctl build");
        assertThat(r.err()).doesNotContain("a unknown");
    }

    @Test
    void buildRefusesAnIdNoOsReleaseCanCarry() {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "h8", "--format", "directory", "-o",
                tmp.resolve("out").toString(), "--set", "ID=fedora linux");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("invalid-release-value").contains("ID='fedora linux'").doesNotContain("\tat ");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void buildRefusesAVersionWithASpace() {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "h8", "--arch", "x86-64", "--version", "1 0",
                "--format", "directory", "-o", tmp.resolve("out").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("invalid-version").contains("SYSEXT_VERSION_ID='1 0'").contains("1.0");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void buildWarnsAboutAVersionSysupdateRefuses() {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "h8", "--arch", "x86-64", "--version", "2.0~rc1",
                "--format", "directory", "-o", tmp.resolve("out").toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("invalid-version").contains("'~'".substring(1, 2)).contains("2.0-rc1")
                .contains("sysextctl release");
    }

    @Test
    void buildVersionAloneIsTheToolsVersionAndWithoutAValueElsewhereAUsageError() {
        Cli.Run v = Cli.run("build", "--version");
        assertThat(v.exit()).as(v.toString()).isZero();
        assertThat(v.out()).startsWith("sysextctl ");
        oneLine(Cli.run("build", tree.toString(), "--name", "h8", "--version"), 2, "--image-version V");
        Cli.Run img = Cli.run("build", tree.toString(), "--name", "h8", "--image-version", "3", "--format",
                "directory", "-o", tmp.resolve("out").toString(), "--json");
        assertThat(img.exit()).as(img.toString()).isZero();
        assertThat(img.out()).contains("\"SYSEXT_VERSION_ID\" : \"3\"");
    }

    @Test
    void buildWithoutSourcesSaysWhatToGive() {
        oneLine(Cli.run("build", "--name", "h8"), 2, "missing SOURCE", "- for a tar archive on standard input");
    }
}
