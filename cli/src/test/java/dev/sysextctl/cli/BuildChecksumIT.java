package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.core.tools.DefaultChecksums;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's SHA-256 is computed where something shows it, and only there (docs/cli.md §2.3): a build with
 * {@code -q} alone runs no checksum tool, one with {@code --report}, {@code --json} or the summary does and shows the
 * image's real digest. The jar runs with {@code openssl} and {@code sha256sum} on its PATH replaced by scripts that
 * log their command line and run the real tool; the image is larger than {@link DefaultChecksums#NATIVE_FROM_BYTES},
 * so that a checksum would go to a native tool.
 */
@Requires(tools = {"mksquashfs", "openssl", "sha256sum"})
class BuildChecksumIT {
    @TempDir
    Path tmp;
    Path tree;
    Path log;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/lib/app"));
        byte[] random = new byte[(int) DefaultChecksums.NATIVE_FROM_BYTES + (1 << 20)];
        new Random(17).nextBytes(random); // incompressible: the image is larger than the threshold too
        Files.write(tree.resolve("usr/lib/app/data"), random);
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        log = tmp.resolve("checksum-tools.log");
        for (String tool : List.of("openssl", "sha256sum")) {
            String real = Shell.shOk("command -v " + tool).stdout().strip();
            Path stub = bin.resolve(tool);
            Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + log + "'\nexec '" + real + "' \"$@\"\n");
            Files.setAttribute(stub, "unix:mode", 0755);
        }
        env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
    }

    private Shell.Result build(String output, String... more) {
        List<String> argv = new ArrayList<>(List.of("java", "-jar", Jar.path().toString(), "build", tree.toString(),
                "--name", "app", "-o", tmp.resolve(output).toString()));
        argv.addAll(List.of(more));
        Shell.Result r = Shell.run(argv, env, tmp, 600);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r;
    }

    private List<String> logged() throws Exception {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private String realSha256(String image) {
        return Shell.shOk("sha256sum '" + tmp.resolve(image) + "'").stdout().substring(0, 64);
    }

    @Test
    void aQuietBuildRunsNoChecksum() throws Exception {
        Shell.Result r = build("quiet.raw", "-q");
        assertThat(r.stdout()).isEmpty();
        assertThat(Files.size(tmp.resolve("quiet.raw"))).isGreaterThan(DefaultChecksums.NATIVE_FROM_BYTES);
        assertThat(logged()).isEmpty();
    }

    @Test
    void aReportJsonOrSummaryHasTheImagesChecksum() throws Exception {
        build("report.raw", "-q", "--report", tmp.resolve("report.json").toString());
        assertThat(logged()).containsExactly("openssl dgst -sha256 -r " + tmp.resolve("report.raw"));
        assertThat(Files.readString(tmp.resolve("report.json"))).contains("\"sha256\" : \"" + realSha256("report.raw")
                + "\"");

        Shell.Result json = build("json.raw", "-q", "--json");
        assertThat(json.stdout()).contains("\"sha256\" : \"" + realSha256("json.raw") + "\"");

        Shell.Result summary = build("summary.raw");
        assertThat(summary.stdout()).contains("  sha256       " + realSha256("summary.raw") + "\n");
        assertThat(logged()).hasSize(3);
        // the same image every way
        assertThat(realSha256("report.raw")).isEqualTo(realSha256("json.raw")).isEqualTo(realSha256("summary.raw"));
    }
}
