package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * build with container image sources through picocli: the forms, --base/--layers/--include, exit codes and one-line
 * errors (directory format: no native tool needed). The images are docker save archives made here.
 */
class ContainerImageCommandTest {
    @TempDir
    Path tmp;
    String configDigest;

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A tar of {@code name → content} (names ending in / are directories). */
    private static byte[] tar(Map<String, String> members) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
            for (Map.Entry<String, String> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                byte[] c = m.getValue().getBytes(StandardCharsets.UTF_8);
                if (!m.getKey().endsWith("/")) {
                    e.setSize(c.length);
                    e.setMode(m.getKey().contains("/bin/") ? 0100755 : 0100644);
                }
                out.putArchiveEntry(e);
                if (!m.getKey().endsWith("/")) {
                    out.write(c);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @BeforeEach
    void images() throws Exception {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("usr/", "");
        base.put("usr/bin/", "");
        base.put("usr/bin/sh", "shell");
        base.put("usr/share/", "");
        base.put("usr/share/base.txt", "base");
        base.put("etc/", "");
        base.put("etc/os-release", "ID=demo\n");
        Map<String, String> run = new LinkedHashMap<>();
        run.put("usr/", "");
        run.put("usr/bin/", "");
        run.put("usr/bin/hello", "#!/bin/sh\necho hello\n");
        run.put("usr/share/", "");
        run.put("usr/share/.wh.base.txt", "");
        run.put("var/", "");
        run.put("var/log", "x");
        save("base.tar", tar(base));
        save("app.tar", tar(base), tar(run));
    }

    private void save(String file, byte[]... layers) throws Exception {
        Map<String, byte[]> members = new LinkedHashMap<>();
        StringBuilder ids = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < layers.length; i++) {
            String d = sha256(layers[i]);
            members.put(d.substring(7) + "/layer.tar", layers[i]);
            ids.append(i == 0 ? "" : ",").append('"').append(d).append('"');
            names.append(i == 0 ? "" : ",").append('"').append(d.substring(7)).append("/layer.tar\"");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + ids + "]}}").getBytes(StandardCharsets.UTF_8);
        configDigest = sha256(config);
        members.put(configDigest.substring(7) + ".json", config);
        members.put("manifest.json", ("[{\"Config\":\"" + configDigest.substring(7) + ".json\",\"RepoTags\":[\"app:1\"],"
                + "\"Layers\":[" + names + "]}]").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(m.getKey());
                e.setSize(m.getValue().length);
                out.putArchiveEntry(e);
                out.write(m.getValue());
                out.closeArchiveEntry();
            }
        }
        Files.write(tmp.resolve(file), bytes.toByteArray());
    }

    private Cli.Run build(String... args) {
        String[] all = new String[args.length + 6];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--name", "app", "--format", "directory", "-o", tmp.resolve("out").toString()},
                0, all, args.length, 6);
        return Cli.run(all);
    }

    @Test
    void aDockerSaveArchiveBecomesTheImagesUsrWithWhiteoutsApplied() {
        Cli.Run r = build("build", "docker-archive:" + tmp.resolve("app.tar"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(tmp.resolve("out/usr/bin/hello")).hasContent("#!/bin/sh\necho hello");
        assertThat(tmp.resolve("out/usr/bin/sh")).exists();
        assertThat(tmp.resolve("out/usr/share/base.txt")).doesNotExist();
        assertThat(tmp.resolve("out/usr/share/.wh.base.txt")).doesNotExist();
        assertThat(tmp.resolve("out/var")).doesNotExist();
        assertThat(r.err()).contains("warning[outside-hierarchy] var: var (2 entries)", "warning[etc-content]");
    }

    @Test
    void withTheBaseOnlyTheDifferenceAndTheDeletionIsAWarning() {
        Cli.Run r = build("build", "docker-archive:" + tmp.resolve("app.tar"), "--base",
                "docker-archive:" + tmp.resolve("base.tar"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(tmp.resolve("out/usr/bin/hello")).exists();
        assertThat(tmp.resolve("out/usr/bin/sh")).doesNotExist();
        assertThat(r.err()).contains("warning[image-deletion] usr/share/base.txt:");
        assertThat(r.err()).doesNotContain("etc-content");
    }

    @Test
    void selectionOptionsWithoutAContainerImageOrMalformedAreUsageErrors() throws Exception {
        Files.createDirectories(tmp.resolve("tree/usr/bin"));
        Cli.Run r = build("build", tmp.resolve("tree").toString(), "--layers", "2..");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("sysextctl: --base, --layers and --include apply to container image "
                + "sources").doesNotContain("\n");
        Cli.Run bad = build("build", "docker-archive:" + tmp.resolve("app.tar"), "--layers", "two");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).contains("--layers two is not a layer range").doesNotContain("\n");
        Cli.Run out = build("build", "docker-archive:" + tmp.resolve("app.tar"), "--layers", "2..",
                "--include", "var/log");
        assertThat(out.exit()).isEqualTo(2);
        assertThat(out.err()).contains("outside usr/ and opt/");
        Cli.Run wide = build("build", "docker-archive:" + tmp.resolve("app.tar"), "--layers", "3");
        assertThat(wide.exit()).isEqualTo(2);
        assertThat(wide.err()).contains("has 2 layers");
    }

    @Test
    void aCorruptedLayerExits1InOneLineAndWritesNothing() throws Exception {
        byte[] b = Files.readAllBytes(tmp.resolve("app.tar"));
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("echo hello");
        b[at] = 'E';
        Files.write(tmp.resolve("app.tar"), b);
        Cli.Run r = build("build", "docker-archive:" + tmp.resolve("app.tar"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("sysextctl: docker-archive:").contains("layer 2 of 2 (sha256:",
                "does not match its digest").doesNotContain("\n", "Exception");
        assertThat(tmp.resolve("out")).doesNotExist();
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.tar", "base.tar");
        }
    }

    @Test
    void aDigestThatDoesNotMatchIsRefusedWithExit3() {
        Cli.Run ok = build("build", "docker-archive:" + tmp.resolve("app.tar") + "@" + configDigest);
        assertThat(ok.exit()).as(ok.toString()).isZero();
        Cli.Run r = build("build", "docker-archive:" + tmp.resolve("app.tar") + "@sha256:" + "1".repeat(64), "--force");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err().strip()).contains("the image's digest is " + configDigest).doesNotContain("\n");
    }
}
