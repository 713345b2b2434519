package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect and validate through picocli on directory images (raw images: CliSquashfsIT, ValidateOracleIT). */
class InspectAndValidateCommandTest {
    @TempDir
    Path tmp;
    Path image;
    Path osRelease;

    @BeforeEach
    void image() throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        Files.writeString(tree.resolve("usr/bin/hello"), "hi\n");
        image = tmp.resolve("hello");
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "hello", "--os", "debian", "--os-version", "12",
                "--format", "directory", "-o", image.toString(), "-q");
        assertThat(b.exit()).as(b.toString()).isZero();
        osRelease = Files.writeString(tmp.resolve("os-release"), "ID=debian\nVERSION_ID=12\n");
    }

    @Test
    void inspectPrintsTheContractsFields() throws Exception {
        Cli.Run r = Cli.run("inspect", image.toString(), "--json", "--files");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        for (String f : new String[] {"format", "sizeBytes", "sha256", "name", "extensionRelease", "hierarchies",
            "fileCount", "lint", "files"}) {
            assertThat(j.has(f)).as(f).isTrue();
        }
        assertThat(j.get("format").asText()).isEqualTo("directory");
        assertThat(j.get("extensionRelease").get("ID").asText()).isEqualTo("debian");
        assertThat(j.get("files").toString()).contains("\"path\":\"usr/bin/hello\"", "\"mode\":\"0644\"");
        Cli.Run human = Cli.run("inspect", image.toString(), "--files");
        assertThat(human.out()).contains("format       directory", "name         hello (from the file name)",
                "             VERSION_ID=12", "-rw-r--r-- ", "usr/bin/hello");
    }

    @Test
    void inspectErrors() throws Exception {
        Cli.Run missing = Cli.run("inspect", tmp.resolve("nope.raw").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errLines()).hasSize(1);
        Cli.Run empty = Cli.run("inspect", Files.write(tmp.resolve("empty.raw"), new byte[0]).toString());
        assertThat(empty.exit()).isEqualTo(1);
        assertThat(empty.errLines()).singleElement().asString().contains("empty file");
    }

    @Test
    void validateAcceptsAndRefusesWithExitCodes() throws Exception {
        Cli.Run ok = Cli.run("validate", image.toString(), "--os-release", osRelease.toString(), "--arch", "x86-64");
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("accepted [version-match] Version info of extension 'hello' matches host.",
                "merge would merge hello");

        Cli.Run no = Cli.run("validate", image.toString(), "--os", "fedora", "--os-version", "41", "--json");
        assertThat(no.exit()).as(no.toString()).isEqualTo(3);
        JsonNode j = no.json();
        assertThat(j.get("systemdVersion").asInt()).isEqualTo(252);
        assertThat(j.get("target").get("id").asText()).isEqualTo("fedora");
        JsonNode v = j.get("images").get(0);
        assertThat(v.get("accepted").asBoolean()).isFalse();
        assertThat(v.get("rule").asText()).isEqualTo("os-id");
        assertThat(v.get("systemdMessage").asText())
                .isEqualTo("Extension 'hello' is for OS 'debian', but deployed on top of 'fedora'.");
        assertThat(v.get("effect").asText()).isEqualTo("ignored");
        assertThat(no.errLines()).singleElement().asString()
                .isEqualTo("sysextctl: 1 of 1 image would be refused by systemd-sysext 252; see the reasons above");
    }

    @Test
    void validateUnderAnotherNameAndAnotherSystemd() throws Exception {
        Path renamed = tmp.resolve("hello_2");
        Files.move(image, renamed);
        Cli.Run r252 = Cli.run("validate", renamed.toString(), "--os-release", osRelease.toString());
        assertThat(r252.exit()).isEqualTo(3);
        assertThat(r252.out()).contains("[no-release-data]");
        assertThat(Cli.run("validate", renamed.toString(), "--os-release", osRelease.toString(), "--as", "hello")
                .exit()).isZero();
        Cli.Run r257 = Cli.run("validate", renamed.toString(), "--os-release", osRelease.toString(),
                "--systemd-version", "257");
        assertThat(r257.exit()).as(r257.toString()).isZero(); // 257 accepts extension-release.hello for hello_2
    }

    @Test
    void validateUsageErrors() {
        for (String[] args : new String[][] {
            {"validate"},
            {"validate", image.toString(), image.toString(), "--as", "x"},
            {"validate", image.toString(), "--systemd-version", "ancient"},
            {"validate", image.toString(), "--scope", "portable"},
            {"validate", image.toString(), "--root", tmp.toString(), "--os-release", osRelease.toString()},
            {"validate", tmp.resolve("nope.raw").toString(), "--os-release", osRelease.toString()}}) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.errLines()).hasSize(1);
        }
    }
}
