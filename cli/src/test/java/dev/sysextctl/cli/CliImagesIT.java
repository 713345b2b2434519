package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build, inspect and validate on real squashfs and erofs images, through the command line. */
@Requires(root = true, tools = {"mksquashfs", "unsquashfs", "mkfs.erofs", "fsck.erofs", "tar", "zstd"})
class CliImagesIT {
    @TempDir
    Path tmp;
    Path tree;

    @BeforeEach
    void tree() throws Exception {
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(tree.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
        Files.setAttribute(tree.resolve("usr/bin/hello"), "unix:mode", 0755);
    }

    @Test
    void squashfsAndErofsBuildInspectAndValidate() throws Exception {
        for (String format : List.of("squashfs", "erofs")) {
            Path out = tmp.resolve(format);
            Files.createDirectories(out);
            Cli.Run b = Cli.run("build", tree.toString(), "--name", "hello", "--arch", "host", "--version", "1.0",
                    "--format", format, "-o", out.resolve("hello.raw").toString(), "--json");
            assertThat(b.exit()).as(b.toString()).isZero();
            JsonNode built = b.json();
            assertThat(built.get("tools").fieldNames().next()).isEqualTo(format.equals("squashfs") ? "mksquashfs"
                    : "mkfs.erofs");

            Cli.Run i = Cli.run("inspect", out.resolve("hello.raw").toString(), "--json", "--files");
            assertThat(i.exit()).as(i.toString()).isZero();
            JsonNode inspected = i.json();
            assertThat(inspected.get("format").asText()).isEqualTo(format);
            assertThat(inspected.get("sha256")).isEqualTo(built.get("sha256"));
            assertThat(inspected.get("sizeBytes")).isEqualTo(built.get("sizeBytes"));
            assertThat(inspected.get("fileCount")).isEqualTo(built.get("fileCount"));
            assertThat(inspected.get("extensionRelease")).isEqualTo(built.get("extensionRelease"));
            assertThat(inspected.get("hierarchies")).isEqualTo(built.get("hierarchies"));
            assertThat(inspected.get("files").toString()).contains("\"path\":\"usr/bin/hello\",\"type\":\"file\","
                    + "\"mode\":\"0755\",\"uid\":0,\"gid\":0,\"size\":21");

            Cli.Run v = Cli.run("validate", out.resolve("hello.raw").toString(), "--os", "debian", "--os-version",
                    "12");
            assertThat(v.exit()).as(v.toString()).isZero();
            assertThat(v.out()).contains("accepted [any-os] Extension 'hello' matches '_any' OS.");
        }
    }

    @Test
    void theBakeryFileNameIsJudgedUnderTheNameItIsInstalledAs() throws Exception {
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "hello", "--arch", "x86-64", "--version", "1.0",
                "-q", "-o", tmp.resolve("hello-1.0-x86-64.raw").toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        Cli.Run v = Cli.run("validate", tmp.resolve("hello-1.0-x86-64.raw").toString(), "--os", "debian");
        assertThat(v.exit()).as(v.toString()).isZero();
        assertThat(v.out()).contains("accepted [").contains("    judged as hello.raw, the name it is installed under");
        assertThat(v.out().lines().filter(l -> l.contains("judged as"))).hasSize(1);
        // --as stays for other names: under its own file name systemd refuses it, and validate says so.
        Cli.Run own = Cli.run("validate", tmp.resolve("hello-1.0-x86-64.raw").toString(), "--os", "debian", "--as",
                "hello-1.0-x86-64.raw");
        assertThat(own.exit()).isEqualTo(3);
        assertThat(own.out()).contains("refused [no-release] Failed to read metadata for image hello-1.0-x86-64: No "
                + "medium found", "(check with --as hello)", "effect: merge-fails").doesNotContain("judged as");
        Cli.Run i = Cli.run("inspect", tmp.resolve("hello-1.0-x86-64.raw").toString());
        assertThat(i.out()).doesNotContain("file-name-mismatch");
    }

    @Test
    void aFailingToolExitsWith1InOneLine() throws Exception {
        // mksquashfs cannot write into /proc: the tool fails, the build says so in one line. (That nothing is
        // left behind when the tool fails: ImageBuilderTest; when the build is stopped: InterruptedBuildIT.)
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "hello", "-o", "/proc/hello.raw");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).startsWith("sysextctl: mksquashfs failed (exit 1): ")
                .endsWith("; the image was not written");
    }

    @Test
    void aZstdTarArchiveBuildsTheSameImageAsItsTree() throws Exception {
        Shell.shOk("cd '" + tree + "' && tar --sort=name --format=pax -c . | zstd -q > ../tree.tar.zst");
        Cli.Run fromTar = Cli.run("build", tmp.resolve("tree.tar.zst").toString(), "--name", "hello", "-q", "--json",
                "-o", tmp.resolve("a.raw").toString());
        Cli.Run fromDir = Cli.run("build", tree.toString(), "--name", "hello", "-q", "--json", "-o",
                tmp.resolve("b.raw").toString());
        assertThat(fromTar.json().get("sha256")).isEqualTo(fromDir.json().get("sha256"));
    }
}
