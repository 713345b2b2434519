package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** build through picocli: exit codes, one-line errors, JSON (directory format: no native tool needed). */
class BuildCommandTest {
    @TempDir
    Path tmp;
    Path tree;

    @BeforeEach
    void tree() throws Exception {
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(tree.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
    }

    private String out(String name) {
        return tmp.resolve(name).toString();
    }

    @Test
    void helpAndVersion() {
        Cli.Run help = Cli.run("build", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: sysextctl build", "--target-os-release", "--keep-ownership");
        Cli.Run v = Cli.run("build", "-V");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("sysextctl ");
    }

    @Test
    void aDirectoryExtensionIsBuiltAndReportedInJson() throws Exception {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "hello", "--arch", "amd64", "--version", "1.0",
                "--format", "directory", "-o", out("hello"), "--source-date-epoch", "7", "--json",
                "--report", out("report.json"), "--set", "SYSEXT_ID=hello");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        List<String> fields = new ArrayList<>();
        j.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("name", "class", "output", "format", "compression", "sizeBytes", "sha256",
                "fileCount", "extensionRelease", "hierarchies", "lint", "tools", "durationMillis");
        assertThat(j.get("name").asText()).isEqualTo("hello");
        assertThat(j.get("class").asText()).isEqualTo("sysext");
        assertThat(j.get("output").asText()).isEqualTo(out("hello"));
        assertThat(j.get("format").asText()).isEqualTo("directory");
        assertThat(j.get("extensionRelease").get("ARCHITECTURE").asText()).isEqualTo("x86-64");
        assertThat(j.get("extensionRelease").get("SYSEXT_VERSION_ID").asText()).isEqualTo("1.0");
        assertThat(j.get("extensionRelease").get("SYSEXT_ID").asText()).isEqualTo("hello");
        assertThat(j.get("hierarchies").get(0).asText()).isEqualTo("usr");
        assertThat(j.get("sha256").asText()).hasSize(64);
        assertThat(Json.mapper().readTree(tmp.resolve("report.json").toFile())).isEqualTo(j);
        assertThat(Files.readString(tmp.resolve("hello/usr/lib/extension-release.d/extension-release.hello")))
                .isEqualTo("ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=1.0\nSYSEXT_ID=hello\n");
    }

    @Test
    void humanOutputSaysWhatWasBuilt() {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "hello", "--format", "directory", "-o", out("h"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains(out("h") + ": directory (none)", "sha256", "release      ID=_any");
        assertThat(r.err()).contains("warning[any-without-arch]");
        Cli.Run quiet = Cli.run("build", tree.toString(), "--name", "hello", "--format", "directory", "-o", out("q"),
                "-q");
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void lintErrorsExitWith3AllFindingsAndOneClosingLine() throws Exception {
        Files.createDirectories(tree.resolve("var/lib"));
        Files.writeString(tree.resolve("var/lib/state"), "x");
        Files.writeString(tree.resolve("README"), "x");
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "hello", "--format", "directory", "-o", out("h"),
                "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).filteredOn(l -> l.startsWith("error[outside-hierarchy]")).hasSize(2);
        assertThat(r.errLines().get(r.errLines().size() - 1)).startsWith("sysextctl: the build was refused: 2 lint "
                + "errors (outside-hierarchy); fix them");
        JsonNode j = r.json();
        assertThat(j.get("lint").get(0).get("id").asText()).isEqualTo("outside-hierarchy");
        assertThat(j.get("lint").get(0).has("fix")).isTrue();
        assertThat(tmp.resolve("h")).doesNotExist();
        Cli.Run strict = Cli.run("build", tree.resolve("usr").getParent().resolve("usr").toString(), "--name", "x",
                "--format", "directory", "-o", out("s"));
        assertThat(strict.exit()).isEqualTo(3); // a tree without usr/ at its top: everything is outside
    }

    @Test
    void strictMakesWarningsFatal() {
        Cli.Run r = Cli.run("build", tree.toString(), "--name", "hello", "--format", "directory", "-o", out("h"),
                "--strict");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("error[any-without-arch]");
    }

    @Test
    void usageErrorsExitWith2AndOneLine() throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "not an archive\n".repeat(50));
        Files.createDirectories(tmp.resolve("exists"));
        List<String[]> cases = List.of(
                new String[] {"build", tree.toString(), "--bogus"},
                new String[] {"build", tree.toString()},
                new String[] {"build", "--name", "x"},
                new String[] {"build", tmp.resolve("missing").toString(), "--name", "x"},
                new String[] {"build", tmp.resolve("notes.txt").toString(), "--name", "x"},
                new String[] {"build", tree.toString(), "--name", "x", "--arch", "z80"},
                new String[] {"build", tree.toString(), "--name", "x", "--format", "zip"},
                new String[] {"build", tree.toString(), "--name", "x", "--compression", "brotli"},
                new String[] {"build", tree.toString(), "--name", "x", "--format", "erofs", "--compression", "zstd"},
                new String[] {"build", tree.toString(), "--name", "x", "--scope", "everywhere"},
                new String[] {"build", tree.toString(), "--name", "x", "--set", "no-equals"},
                new String[] {"build", tree.toString(), "--name", "x", "--format", "directory", "-o", out("exists")});
        // torcx archives are converted now (the converter's ImageSourceProvider); see ConvertCommandsIT
        for (String[] args : cases) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.errLines()).as(String.join(" ", args)).hasSize(1);
            assertThat(r.errLines().get(0)).startsWith("sysextctl: ").contains(";");
        }
    }

    @Test
    void aCorruptArchiveExitsWith1() throws Exception {
        byte[] gz = gzip("usr/bin/x".repeat(10000).getBytes());
        Files.write(tmp.resolve("cut.tar.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        Cli.Run r = Cli.run("build", tmp.resolve("cut.tar.gz").toString(), "--name", "x", "--format", "directory",
                "-o", out("x"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().get(0)).contains("cut.tar.gz").contains("; check that the archive is complete");
    }

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }
}
