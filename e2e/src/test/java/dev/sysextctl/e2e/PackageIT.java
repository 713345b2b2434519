package dev.sysextctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: what {@code scripts/package} writes. Two runs give byte-identical files; the Debian package has the
 * layout, fields and documents of a Debian package; the system extension holds a jlink'ed runtime, the jar and the
 * launcher, stays under 40 MiB, and its own runtime runs every command (the picocli models and Jackson need
 * reflection that jdeps cannot see).
 */
@Requires(tools = {"dpkg-deb", "mksquashfs", "unsquashfs", "bash"})
class PackageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_IMAGE_BYTES = 40L * 1024 * 1024;
    private static final List<String> COMMANDS = List.of("build", "inspect", "validate", "list", "status", "enable",
            "disable", "mask", "unmask", "merge", "unmerge", "refresh", "explain", "convert", "ignition", "release");

    @TempDir
    Path tmp;

    @Test
    void twoRunsGiveByteIdenticalFiles() throws Exception {
        Dist first = Dist.get();
        Dist second = Dist.make(tmp.resolve("dist"));
        assertThat(second.files().stream().map(p -> p.getFileName().toString()))
                .containsExactlyElementsOf(first.files().stream().map(p -> p.getFileName().toString()).toList())
                .hasSize(4);
        for (Path f : first.files()) {
            assertThat(Files.mismatch(f, second.dir().resolve(f.getFileName()))).as("%s differs at byte", f.getFileName())
                    .isEqualTo(-1L);
        }
        Shell.Result sums = Shell.run(List.of("sha256sum", "--check", "--strict", "SHA256SUMS"), Map.of(), first.dir(), 60);
        assertThat(sums.exitCode()).as(sums.all()).isZero();
        assertThat(sums.stdout().lines()).containsExactlyInAnyOrder(first.jar().getFileName() + ": OK",
                first.deb().getFileName() + ": OK", first.raw().getFileName() + ": OK");
        assertThat(Files.mismatch(first.jar(), TestEnvironment.repository().resolve("cli/target/sysextctl.jar")))
                .as("the jar is the reactor's").isEqualTo(-1L);
    }

    @Test
    void theDebHasItsLayoutFieldsAndDocuments() throws Exception {
        Dist dist = Dist.get();
        String deb = dist.deb().toString();
        assertThat(dist.deb().getFileName().toString()).matches("sysextctl_[0-9][A-Za-z0-9.+~]*_all\\.deb");
        assertThat(field(deb, "Package")).isEqualTo("sysextctl");
        assertThat(field(deb, "Architecture")).isEqualTo("all");
        assertThat(field(deb, "Depends")).contains("default-jre-headless (>= 2:1.17) | java17-runtime-headless",
                "squashfs-tools");
        assertThat(field(deb, "Recommends")).isEqualTo("erofs-utils");
        assertThat(field(deb, "Maintainer")).contains("<").contains(">");

        List<String> listing = Shell.run("dpkg-deb", "--contents", deb).assertSuccess().stdout().lines().toList();
        assertThat(listing).allSatisfy(l -> assertThat(l).contains(" root/root "));
        List<String> paths = new ArrayList<>();
        for (String l : listing) {
            paths.add(l.substring(l.indexOf(" ./") + 1));
        }
        assertThat(paths).contains("./usr/bin/sysextctl -> ../share/sysextctl/sysextctl",
                "./usr/share/sysextctl/sysextctl", "./usr/share/sysextctl/sysextctl.jar",
                "./usr/share/bash-completion/completions/sysextctl", "./usr/share/zsh/vendor-completions/_sysextctl",
                "./usr/share/doc/sysextctl/copyright", "./usr/share/doc/sysextctl/changelog.gz");
        assertThat(listing.stream().map(l -> l.replaceAll("^\\S+\\s+\\S+\\s+\\d+\\s+", "").substring(0, 16)).distinct())
                .as("one timestamp for every entry").hasSize(1);

        Path x = tmp.resolve("x");
        Shell.run("dpkg-deb", "-x", deb, x.toString()).assertSuccess();
        assertThat(Files.mismatch(x.resolve("usr/share/sysextctl/sysextctl.jar"), dist.jar())).isEqualTo(-1L);
        assertThat(Files.readString(x.resolve("usr/share/doc/sysextctl/copyright")))
                .startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/");
        assertThat(Shell.run("sh", "-c", "gzip -dc " + x.resolve("usr/share/doc/sysextctl/changelog.gz") + " | head -1")
                .assertSuccess().stdout()).startsWith("sysextctl (" + field(deb, "Version") + ") ");
        // the bash completion knows the subcommands and their options
        Shell.Result completion = Shell.run("bash", "-c", "source \"$1\"; complete -p sysextctl; "
                + "COMP_WORDS=(sysextctl bui); COMP_CWORD=1; COMP_LINE='sysextctl bui'; COMP_POINT=13; "
                + "_complete_sysextctl; echo \"${COMPREPLY[@]}\"", "bash",
                x.resolve("usr/share/bash-completion/completions/sysextctl").toString());
        assertThat(completion.exitCode()).as(completion.all()).isZero();
        assertThat(completion.stdout()).contains("-F _complete_sysextctl sysextctl").endsWith("build\n");
    }

    @Test
    void theSysextRunsEveryCommandWithItsOwnMinimalRuntime() throws Exception {
        Dist dist = Dist.get();
        assertThat(Files.size(dist.raw())).as("the image, in bytes").isLessThanOrEqualTo(MAX_IMAGE_BYTES);
        Path root = tmp.resolve("sysext");
        Shell.run("unsquashfs", "-q", "-n", "-d", root.toString(), dist.raw().toString()).assertSuccess();
        Path lib = root.resolve("usr/lib/sysextctl");
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/sysextctl"))).isEqualTo(Path.of("../lib/sysextctl/sysextctl"));
        assertThat(Files.mismatch(lib.resolve("sysextctl.jar"), dist.jar())).isEqualTo(-1L);
        String release = Files.readString(lib.resolve("runtime/release"));
        assertThat(release).contains("java.base", "java.desktop", "java.sql").doesNotContain("jdk.", "java.net.http",
                "java.compiler");
        assertThat(lib.resolve("runtime/include")).doesNotExist();
        assertThat(lib.resolve("runtime/man")).doesNotExist();
        assertThat(lib.resolve("runtime/lib/libawt.so")).doesNotExist();
        String launcher = lib.resolve("sysextctl").toString();

        JsonNode inspected = JSON.readTree(run(launcher, "inspect", dist.raw().toString(), "--json"));
        String version = dist.jar().getFileName().toString().replaceAll("^sysextctl-|\\.jar$", "");
        assertThat(dist.raw().getFileName().toString()).isEqualTo("sysextctl-" + version + "-x86-64.raw");
        assertThat(inspected.get("extensionRelease").toString()).isEqualTo("{\"ID\":\"_any\",\"ARCHITECTURE\":\"x86-64\","
                + "\"SYSEXT_VERSION_ID\":\"" + version + "\"}");
        assertThat(inspected.get("releaseName").asText()).isEqualTo("sysextctl");
        assertThat(inspected.at("/hierarchies").toString()).isEqualTo("[\"usr\"]");
        System.out.printf("the sysext: %d bytes, %d entries%n", Files.size(dist.raw()), inspected.get("fileCount").asInt());

        assertThat(run(launcher, "--version")).isEqualTo("sysextctl " + version + "\n");
        assertThat(run(launcher, "--help")).contains("build", "refresh", "ignition");
        for (String command : COMMANDS) {
            assertThat(run(launcher, command, "--help")).as(command).contains("Usage: sysextctl " + command);
        }
        assertThat(run(launcher, "convert", "torcx-image", "--help")).contains("Usage: sysextctl convert torcx-image");
        assertThat(run(launcher, "convert", "torcx-profile", "--help")).contains("Usage: sysextctl convert torcx-profile");

        Path hello = tmp.resolve("hello-1.0-x86-64.raw");
        Path examples = TestEnvironment.repository().resolve("examples/hello");
        run(launcher, "build", examples.toString(), "--name", "hello", "--version", "1.0", "--arch", "x86-64",
                "-o", hello.toString(), "--json");
        assertThat(run(launcher, "inspect", hello.toString(), "--files")).contains("usr/bin/hello");
        assertThat(run(launcher, "validate", hello.toString(), "--as", "hello", "--os", "flatcar", "--os-version", "1",
                "--sysext-level", "1", "--arch", "x86-64", "--json")).contains("\"accepted\" : true");
        Path erofs = tmp.resolve("hello-erofs.raw");
        if (TestEnvironment.hasTool("mkfs.erofs")) {
            run(launcher, "build", examples.toString(), "--name", "hello", "--format", "erofs", "-o", erofs.toString());
            assertThat(run(launcher, "inspect", erofs.toString())).contains("erofs");
        }
        assertThat(run(launcher, "ignition", hello.toString(), "--base-url", "https://example.com/s", "--with-sysextctl",
                dist.raw().toString())).contains("/etc/extensions/sysextctl.raw", "/opt/extensions/sysextctl/"
                + dist.raw().getFileName());
        assertThat(run(launcher, "ignition", hello.toString(), "--base-url", "https://example.com/s", "--butane"))
                .contains("variant: flatcar");
        Path site = tmp.resolve("site");
        run(launcher, "release", hello.toString(), "-o", site.toString(), "--base-url", "https://example.com/s");
        assertThat(site.resolve("hello.conf")).exists();
    }

    /**
     * The launcher's class-data archives (made by the JVM at the first run that needs one; one per short command run
     * most often, one for the others): {@code --version} alone
     * makes none (it loads no picocli), the first command makes it, and picocli's classes come from it (picocli
     * compiled for Java 17: version 49 class files are never archived).
     */
    @Test
    void theSysextsArchivesAreMadeByTheFirstRunOfEachCommandAndHoldPicocli() throws Exception {
        Dist dist = Dist.get();
        Path root = tmp.resolve("sysext");
        Shell.run("unsquashfs", "-q", "-n", "-d", root.toString(), dist.raw().toString()).assertSuccess();
        String launcher = root.resolve("usr/lib/sysextctl/sysextctl").toString();
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("SYSEXTCTL_CACHE_DIR", cache.toString());

        assertThat(run(launcher, env, "--version")).startsWith("sysextctl ");
        assertThat(archives(cache)).as("archives after --version").isEmpty();
        run(launcher, env, "inspect", dist.raw().toString());
        assertThat(archives(cache)).as("archives after inspect").hasSize(1);
        String loaded = run(launcher, Map.of("SYSEXTCTL_CACHE_DIR", cache.toString(),
                "SYSEXTCTL_JAVA_OPTS", "-Xlog:class+load=info"), "inspect", "--help");
        assertThat(loaded.lines().filter(l -> l.contains("[class,load] picocli.CommandLine ")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("shared objects file");
        // The short commands run most often get an archive each (their own classes); the others share one.
        run(launcher, env, "status", "--root", root.toString());
        run(launcher, env, "--help");
        run(launcher, env, "completion", "bash");
        assertThat(archives(cache).stream().map(n -> n.replaceFirst("^sysextctl-[0-9]+", "")))
                .as("archives after status, --help and completion (sysextctl-FEATURE*.jsa)")
                .containsExactlyInAnyOrder("-inspect.jsa", "-status.jsa", "-help.jsa", ".jsa");
    }

    private static List<String> archives(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (var s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")).toList();
        }
    }

    private static String run(String launcher, String... args) {
        return run(launcher, Map.of(), args);
    }

    private static String run(String launcher, Map<String, String> extraEnv, String... args) {
        List<String> argv = new ArrayList<>(List.of(launcher));
        argv.addAll(List.of(args));
        // no java on PATH and no JAVA_HOME: the sysext's launcher must use its own runtime
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("JAVA_HOME", "/nonexistent");
        Shell.Result r = Shell.run(argv, env, null, 120);
        assertThat(r.exitCode()).as("sysextctl %s: %s", String.join(" ", args), r.all()).isZero();
        assertThat(r.stderr()).as("sysextctl %s: stderr", String.join(" ", args)).doesNotContain("Exception", "WARNING");
        return r.stdout();
    }

    private static String field(String deb, String name) {
        return Shell.run("dpkg-deb", "--field", deb, name).assertSuccess().stdout().strip();
    }
}
