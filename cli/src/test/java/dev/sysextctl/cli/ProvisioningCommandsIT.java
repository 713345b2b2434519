package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sysextctl ignition} and {@code release} through the real command line: output, files, exit codes. */
@Requires(tools = {"mksquashfs", "unsquashfs"})
class ProvisioningCommandsIT {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = SysextctlCommand.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A squashfs image whose extension-release is {@code releaseName} with the given lines. */
    private Path image(String fileName, String releaseName, String... fields) throws Exception {
        return pack(fileName, "usr/bin/hello", "#!/bin/sh\necho hello\n",
                "usr/lib/extension-release.d/extension-release." + releaseName, String.join("\n", fields) + "\n");
    }

    @Test
    void ignitionPrintsJsonOrButaneAndWritesFiles() throws Exception {
        Path img = image("docker.raw", "docker", "ID=_any", "SYSEXT_VERSION_ID=28.0.4", "ARCHITECTURE=x86-64");
        Run json = run("ignition", img.toString(), "--base-url", "https://example.com/x", "--sysupdate",
                "--mask", "docker-flatcar", "--mask", "containerd-flatcar");
        assertThat(json.exit()).as(json.err()).isZero();
        assertThat(json.out()).startsWith("{\n  \"ignition\": {\n    \"version\": \"3.4.0\"")
                .contains("\"source\": \"https://example.com/x/docker-28.0.4-x86-64.raw\"");
        assertThat(json.err()).isEmpty();

        Run butane = run("ignition", img.toString(), "--base-url", "https://example.com/x", "--butane",
                "--ignition-version", "3.3.0");
        assertThat(butane.exit()).isZero();
        assertThat(butane.out()).startsWith("variant: flatcar\nversion: 1.0.0\n")
                .contains("path: /opt/extensions/docker/docker.raw");
        assertThat(butane.err()).contains("warning: Flatcar's built-in docker-flatcar stays enabled");

        Path file = tmp.resolve("cfg/docker.ign");
        Run toFile = run("ignition", img.toString(), "--base-url", "https://example.com/x", "-o", file.toString());
        assertThat(toFile.exit()).isZero();
        assertThat(toFile.out()).isEmpty();
        assertThat(Files.readString(file)).startsWith("{").endsWith("}\n");
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("docker.ign");
        }
    }

    /** A squashfs image holding {@code files} (path, text, path, text…); those in {@code usr/bin} executable. */
    private Path pack(String fileName, String... files) throws Exception {
        Path tree = Files.createTempDirectory(tmp, "tree");
        for (int i = 0; i < files.length; i += 2) {
            Path p = tree.resolve(files[i]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, files[i + 1]);
            if (files[i].startsWith("usr/bin/")) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path out = tmp.resolve(fileName);
        Shell.run(List.of("mksquashfs", tree.toString(), out.toString(), "-all-root", "-noappend", "-quiet"))
                .assertSuccess();
        return out;
    }

    @Test
    void confextsAreProvisionedInTheirOwnPlaceAndClassIsChecked() throws Exception {
        Path motd = pack("motd-2-x86-64.raw", "etc/extension-release.d/extension-release.motd",
                "ID=_any\nCONFEXT_VERSION_ID=2\nARCHITECTURE=x86-64\n", "etc/motd.d/greeting", "hi\n");
        Run butane = run("ignition", motd.toString(), "--base-url", "https://example.com/x", "--butane");
        assertThat(butane.exit()).as(butane.err()).isZero();
        assertThat(butane.out()).contains("path: /opt/confexts/motd/motd-2-x86-64.raw",
                "path: /var/lib/confexts/motd.raw\n      target: /opt/confexts/motd/motd-2-x86-64.raw",
                "name: systemd-confext.service\n      enabled: true").doesNotContain("/etc/extensions");

        Run wrong = run("ignition", motd.toString(), "--base-url", "https://example.com/x", "--class", "SYSEXT");
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.err()).contains("linked as /etc/extensions/motd-2-x86-64.raw on a node, systemd-sysext would "
                + "refuse it").doesNotContain("Exception");
        Run bad = run("release", motd.toString(), "-o", tmp.resolve("site").toString(), "--class", "portable");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown class 'portable'; use sysext or confext");

        Path both = pack("both.raw", "etc/extension-release.d/extension-release.both", "ID=_any\n",
                "usr/lib/extension-release.d/extension-release.both", "ID=_any\n");
        Run ambiguous = run("ignition", both.toString(), "--base-url", "https://example.com/x");
        assertThat(ambiguous.exit()).isEqualTo(2);
        assertThat(ambiguous.err().strip()).endsWith("give --class sysext or --class confext").doesNotContain("\n");
        assertThat(run("ignition", both.toString(), "--base-url", "https://example.com/x", "--class", "confext",
                "--butane").out()).contains("path: /var/lib/confexts/both.raw");

        Run release = run("release", motd.toString(), "-o", tmp.resolve("site").toString(), "--base-url",
                "https://example.com/x");
        assertThat(release.exit()).as(release.err()).isZero();
        assertThat(Files.readString(tmp.resolve("site/motd.conf"))).contains("Path=/opt/confexts/motd\n",
                "CurrentSymlink=/var/lib/confexts/motd.raw\n");
    }

    @Test
    void exitCodesFollowTheContract() throws Exception {
        Path mismatch = image("dockr.raw", "docker", "ID=_any");
        Run refused = run("ignition", mismatch.toString(), "--base-url", "https://example.com/");
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err().strip().lines()).singleElement().asString()
                .contains("extension-release.docker").contains("No medium found").contains("; ");

        Path plain = image("tools.raw", "tools", "ID=_any");
        assertThat(run("ignition", plain.toString(), "--base-url", "ftp://example.com/").exit()).isEqualTo(2);
        assertThat(run("ignition", plain.toString()).exit()).isEqualTo(2);
        assertThat(run("ignition", plain.toString(), "--base-url", "https://e/", "--ignition-version", "3.2.0")
                .exit()).isEqualTo(2);
        assertThat(run("ignition", plain.toString(), "--base-url", "https://e/", "--sysupdate").exit())
                .isEqualTo(3);
        assertThat(run("ignition", tmp.resolve("missing.raw").toString(), "--base-url", "https://e/").exit())
                .isEqualTo(2);
    }

    @Test
    void releaseWritesTheDirectoryAndRefusesBadVersions() throws Exception {
        Path good = image("hello.raw", "hello", "ID=_any", "SYSEXT_VERSION_ID=1.0", "ARCHITECTURE=x86-64");
        Path out = tmp.resolve("site");
        Run r = run("release", good.toString(), "-o", out.toString(), "--base-url", "http://127.0.0.1:9/s",
                "--systemd-version", "257", "--instances-max", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("added     hello-1.0-x86-64.raw  (hello 1.0 x86-64)",
                "wrote     hello.transfer", "wrote     noop.transfer", "wrote     SHA256SUMS");
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        assertThat(names).containsExactlyInAnyOrder("hello-1.0-x86-64.raw", "hello.transfer", "noop.transfer",
                "SHA256SUMS");

        Path tilde = image("tilde.raw", "tilde", "ID=_any", "SYSEXT_VERSION_ID=2.0~rc1", "ARCHITECTURE=x86-64");
        Run refused = run("release", tilde.toString(), "-o", out.toString());
        assertThat(refused.exit()).isEqualTo(3);
        assertThat(refused.err()).contains("@v");
        assertThat(run("release", good.toString()).exit()).isEqualTo(2);
        assertThat(run("release", good.toString(), "-o", out.toString(), "--instances-max", "1").exit())
                .isEqualTo(2);
    }

    /** The lower-case hex SHA-256 of a file, by the real sha256sum. */
    private static String sha256sum(Path file) {
        return Shell.run(List.of("sha256sum", file.toString())).assertSuccess().stdout().split(" ")[0];
    }

    @Test
    void ignitionJsonDescribesTheWrittenFileTheImagesAndTheConfigItself() throws Exception {
        Path img = image("hello-1.0-x86-64.raw", "hello", "ID=_any", "SYSEXT_VERSION_ID=1.0",
                "ARCHITECTURE=x86-64");
        Path file = tmp.resolve("cfg/hello.ign");
        Run r = run("ignition", img.toString(), "--base-url", "https://example.com/x", "-o", file.toString(),
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(j.fieldNames()).toIterable().containsExactly("output", "format", "specVersion", "butaneVersion",
                "sizeBytes", "sha256", "images", "downloads", "notes", "config");
        assertThat(j.get("output").asText()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(j.get("format").asText()).isEqualTo("ignition");
        assertThat(j.get("specVersion").asText()).isEqualTo("3.4.0");
        assertThat(j.get("butaneVersion").isNull()).isTrue();
        assertThat(j.get("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(j.get("sha256").asText()).isEqualTo(sha256sum(file));
        JsonNode image = j.get("images").get(0);
        assertThat(image.get("path").asText()).isEqualTo(img.toAbsolutePath().toString());
        assertThat(image.get("name").asText()).isEqualTo("hello");
        assertThat(image.get("version").asText()).isEqualTo("1.0");
        assertThat(image.get("sizeBytes").asLong()).isEqualTo(Files.size(img));
        assertThat(image.get("sha256").asText()).isEqualTo(sha256sum(img));
        assertThat(j.get("downloads").get(0).asText()).isEqualTo("https://example.com/x/hello-1.0-x86-64.raw");
        assertThat(j.get("config").isObject()).isTrue();
        assertThat(j.get("config")).isEqualTo(Json.mapper().readTree(file.toFile()));

        Run shortForm = run("ignition", img.toString(), "--base-url", "https://example.com/x", "--json=short");
        assertThat(shortForm.exit()).as(shortForm.err()).isZero();
        assertThat(shortForm.out().strip()).doesNotContain("\n");
        assertThat(shortForm.out().strip().lines()).hasSize(1);
        JsonNode s = Json.mapper().readTree(shortForm.out());
        assertThat(s.get("output").isNull()).isTrue();
        assertThat(s.get("config")).isEqualTo(j.get("config"));

        Run butane = run("ignition", img.toString(), "--base-url", "https://example.com/x", "--butane", "--json");
        assertThat(butane.exit()).isZero();
        JsonNode b = Json.mapper().readTree(butane.out());
        assertThat(b.get("format").asText()).isEqualTo("butane");
        assertThat(b.get("butaneVersion").asText()).isEqualTo("1.1.0");
        assertThat(b.get("config").asText()).startsWith("variant: flatcar\nversion: 1.1.0\n");

        Run off = run("ignition", img.toString(), "--base-url", "https://example.com/x", "--json=off");
        assertThat(off.out()).startsWith("{\n  \"ignition\": {");
    }

    @Test
    void releaseJsonListsEveryFileWithSizeAndSha256() throws Exception {
        Path good = image("hello.raw", "hello", "ID=_any", "SYSEXT_VERSION_ID=1.0", "ARCHITECTURE=x86-64");
        Path out = tmp.resolve("site");
        Run r = run("release", good.toString(), "-o", out.toString(), "--base-url", "http://127.0.0.1:9/s",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = Json.mapper().readTree(r.out());
        assertThat(j.fieldNames()).toIterable().containsExactly("directory", "images", "transferFiles", "noopFile",
                "index", "notes");
        assertThat(j.get("directory").asText()).isEqualTo(out.toAbsolutePath().toString());
        JsonNode image = j.get("images").get(0);
        Path released = out.resolve("hello-1.0-x86-64.raw");
        assertThat(image.get("path").asText()).isEqualTo(released.toAbsolutePath().toString());
        assertThat(image.get("sizeBytes").asLong()).isEqualTo(Files.size(released));
        assertThat(image.get("sha256").asText()).isEqualTo(sha256sum(released));
        assertThat(image.get("alreadyPresent").asBoolean()).isFalse();
        for (JsonNode f : List.of(j.get("transferFiles").get(0), j.get("noopFile"), j.get("index"))) {
            Path p = Path.of(f.get("path").asText());
            assertThat(p.getParent()).isEqualTo(out.toAbsolutePath());
            assertThat(f.get("sizeBytes").asLong()).isEqualTo(Files.size(p));
            assertThat(f.get("sha256").asText()).isEqualTo(sha256sum(p));
        }
        assertThat(Path.of(j.get("index").get("path").asText()).getFileName().toString()).isEqualTo("SHA256SUMS");

        Run again = run("release", good.toString(), "-o", out.toString(), "--json=short");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out().strip().lines()).hasSize(1);
        assertThat(Json.mapper().readTree(again.out()).get("images").get(0).get("alreadyPresent").asBoolean())
                .isTrue();
    }
}
