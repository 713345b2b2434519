package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A directory extension whose extension-release is a 3 GiB sparse file: list, explain, merge --dry-run and
 * validate report that one image as unreadable, in one line, and go on with the others (no OutOfMemoryError).
 */
class OversizedReleaseFileTest {
    private static final long HUGE = 3L << 30;

    @TempDir
    Path root;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void node() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Files.createDirectories(root.resolve("usr/bin"));
        extension("good");
        Path release = extension("huge");
        try (RandomAccessFile f = new RandomAccessFile(release.toFile(), "rw")) {
            f.setLength(HUGE);
        }
    }

    private Path extension(String name) throws Exception {
        Path d = root.resolve("etc/extensions/" + name);
        Files.createDirectories(d.resolve("usr/lib/extension-release.d"));
        Files.createDirectories(d.resolve("usr/share/" + name));
        Files.writeString(d.resolve("usr/share/" + name + "/f"), name);
        return Files.writeString(d.resolve("usr/lib/extension-release.d/extension-release." + name),
                "ID=debian\nVERSION_ID=12\n");
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = SysextctlCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private static final String TOO_LARGE = "usr/lib/extension-release.d/extension-release.huge is " + HUGE
            + " bytes, more than the 64 KiB sysextctl reads from a release file";

    @Test
    void listExplainAndDryRunReportTheImageAndGoOn() {
        assertThat(run("list", "--root", root.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("good").contains("huge").contains(TOO_LARGE);
        assertThat(err.toString()).doesNotContain("OutOfMemory").doesNotContain("\tat ");

        assertThat(run("explain", "huge", "--root", root.toString())).isIn(0, 3);
        assertThat(out.toString() + err.toString()).contains(TOO_LARGE).doesNotContain("\tat ");
        assertThat(run("explain", "good", "--root", root.toString())).isZero();

        assertThat(run("merge", "--dry-run", "--root", root.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("good").contains(TOO_LARGE);
    }

    @Test
    void validateGivesEachImageItsVerdictAndExitsWithTheWorst() {
        Path good = root.resolve("etc/extensions/good");
        Path huge = root.resolve("etc/extensions/huge");
        assertThat(run("validate", good.toString(), huge.toString(), "--os", "debian", "--os-version", "12"))
                .isEqualTo(1);
        assertThat(out.toString()).contains(good + ": accepted").contains(huge + ": refused [unreadable]")
                .contains(TOO_LARGE);
        assertThat(err.toString()).isEqualTo("sysextctl: 1 of 2 images could not be read; see the reasons above\n");
    }
}
