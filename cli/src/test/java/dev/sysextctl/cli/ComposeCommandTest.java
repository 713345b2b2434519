package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sysextctl compose} with directory images (no native tool): report, exit codes, one-line errors. */
class ComposeCommandTest {
    @TempDir
    Path tmp;

    Path base;
    Path a;
    Path b;

    @BeforeEach
    void trees() throws Exception {
        base = tmp.resolve("base");
        write(base, "usr/lib/os-release", "ID=debian\nVERSION_ID=12\n");
        write(base, "usr/bin/tool", "base\n");
        a = extension("a", "ID=debian\nVERSION_ID=12\n", "usr/bin/tool", "a\n");
        b = extension("b", "ID=debian\nVERSION_ID=12\n", "usr/bin/tool", "b\n");
    }

    private Path extension(String name, String release, String path, String content) throws Exception {
        Path dir = tmp.resolve("ext/" + name);
        write(dir, "usr/lib/extension-release.d/extension-release." + name, release);
        write(dir, path, content);
        return dir;
    }

    private static void write(Path root, String path, String content) throws Exception {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void composesTheUpperLayerOverTheLowerAndSaysWhoWins() throws Exception {
        Path out = tmp.resolve("out");
        Cli.Run r = Cli.run("compose", base.toString(), b.toString(), a.toString(), "--format", "directory", "-o",
                out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(out.resolve("usr/bin/tool")).hasContent("b");
        assertThat(out.resolve("usr/lib/extension-release.d/extension-release.a")).exists();
        assertThat(out.resolve("usr/lib/os-release")).exists();
        assertThat(r.out()).contains("b  overridden").contains("usr/bin/tool  (hides a, base)")
                .contains("conflict: usr/bin/tool is in a and b; b is the upper layer and wins");
    }

    @Test
    void jsonNamesTheLayersInOrderAndTheConflict() throws Exception {
        Cli.Run r = Cli.run("compose", base.toString(), b.toString(), a.toString(), "--format", "directory", "-o",
                tmp.resolve("out").toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("layers").findValuesAsText("name")).containsExactly("base", "a", "b");
        assertThat(j.path("conflicts").get(0).path("winner").asText()).isEqualTo("b");
        assertThat(j.path("changes").get(0).path("change").asText()).isEqualTo("overridden");
    }

    @Test
    void anIncompatibleExtensionIsRefusedWithExitThreeAndNothingWritten() throws Exception {
        Path fed = extension("fed", "ID=fedora\n", "usr/bin/fed", "f\n");
        Path out = tmp.resolve("out");
        Cli.Run r = Cli.run("compose", base.toString(), a.toString(), fed.toString(), "--format", "directory", "-o",
                out.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).as(r.toString()).singleElement().asString().startsWith("sysextctl: ")
                .contains("extension fed").contains("fedora").contains("--force").doesNotContain("Exception");
        assertThat(out).doesNotExist();
        assertThat(tmp).isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".out"));
        Cli.Run forced = Cli.run("compose", base.toString(), a.toString(), fed.toString(), "--format", "directory",
                "-o", out.toString(), "--force");
        assertThat(forced.exit()).as(forced.toString()).isZero();
        assertThat(out.resolve("usr/bin/fed")).exists();
    }

    @Test
    void anOsReleaseGivenIsWhatTheExtensionsAreCheckedAgainst() throws Exception {
        Path fedora = tmp.resolve("fedora-os-release");
        Files.writeString(fedora, "ID=fedora\n");
        Cli.Run r = Cli.run("compose", base.toString(), a.toString(), "--os-release", fedora.toString(),
                "--format", "directory", "-o", tmp.resolve("out").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("extension a");
    }

    @Test
    void usageErrorsAreOneLineWithExitTwo() throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(tmp.resolve("no-usr/etc"));
        for (String[] args : new String[][] {
            {"compose", base.toString(), a.toString()},
            {"compose", base.toString(), "-o", out.toString()},
            {"compose", tmp.resolve("missing").toString(), a.toString(), "-o", out.toString()},
            {"compose", tmp.resolve("no-usr").toString(), a.toString(), "-o", out.toString(), "--format",
                "directory"},
            {"compose", base.toString(), a.toString(), a.toString(), "-o", out.toString(), "--format", "directory"},
        }) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(out).doesNotExist();
        }
        Files.createDirectories(out);
        Cli.Run exists = Cli.run("compose", base.toString(), a.toString(), "-o", out.toString(), "--format",
                "directory");
        assertThat(exists.exit()).as(exists.toString()).isEqualTo(2);
        assertThat(exists.errLines()).singleElement().asString().contains("already exists").contains("--force");
    }
}
