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
        assertIsTheReleaseJarWithoutNativeLibraries(lib.resolve("sysextctl.jar"), dist.jar());
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
     * The launcher's start-up caches (docs/cli.md §11): on the sysext's Java 25 runtime an AOT cache per short command
     * run most often and one shared by the others, each made by that command's first run, whose output is the same as
     * a later run's (the recording JVM says nothing); a later run is accepted with {@code -XX:AOTMode=on} (an error
     * there when the cache does not match) and loads picocli from it.
     */
    @Test
    void theSysextsAotCachesAreMadeByTheFirstRunOfEachCommandAndUsedByTheNext() throws Exception {
        Sysext sysext = sysext();
        Dist dist = sysext.dist();
        Path root = sysext.root();
        String launcher = sysext.launcher();
        String key = sysext.key();
        Path cache = tmp.resolve("cache");
        Map<String, String> env = Map.of("SYSEXTCTL_CACHE_DIR", cache.toString());

        String first = run(launcher, env, "inspect", dist.raw().toString());
        assertThat(caches(cache)).as("caches after the first inspect").containsExactly("sysextctl-" + key + "-inspect.aot");
        assertThat(run(launcher, env, "inspect", dist.raw().toString())).as("the second run's output").isEqualTo(first);
        String loaded = run(launcher, Map.of("SYSEXTCTL_CACHE_DIR", cache.toString(),
                "SYSEXTCTL_JAVA_OPTS", "-XX:AOTMode=on -Xlog:class+load=info"), "inspect", "--help");
        // (the first run read its image without picocli, DirectRuns: the cache holds the command's own classes)
        assertThat(loaded.lines().filter(l -> l.contains("[class,load] dev.sysextctl.cli.InspectCommand ")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("shared objects file");

        assertThat(run(launcher, env, "--version")).isEqualTo("sysextctl " + version(dist) + "\n");
        run(launcher, env, "status", "--root", root.toString());
        // with its cache a run takes every class from the cache and never opens the jar (-cp JAR MAIN, not -jar,
        // which reads the jar's whole central directory for its manifest)
        String initialised = run(launcher, Map.of("SYSEXTCTL_CACHE_DIR", cache.toString(),
                "SYSEXTCTL_JAVA_OPTS", "-XX:AOTMode=on -Xlog:class+init=info"), "status", "--root", root.toString());
        assertThat(initialised).as("the run's class initialisations").contains("dev/sysextctl/cli/Main")
                .doesNotContain("java/util/zip/ZipFile$Source'");
        run(launcher, env, "--help");
        run(launcher, env, "completion", "bash");
        run(launcher, env, "merge", "--help");
        assertThat(caches(cache)).as("caches after --version, status, --help, completion and merge")
                .containsExactlyInAnyOrder("sysextctl-" + key + "-inspect.aot", "sysextctl-" + key + "-version.aot",
                        "sysextctl-" + key + "-status.aot", "sysextctl-" + key + "-help.aot", "sysextctl-" + key + ".aot",
                        "sysextctl-" + key + "-merge.aot");
        assertThat(files(cache)).as("nothing but the caches, each with the boot it was checked in")
                .containsExactlyInAnyOrderElementsOf(caches(cache).stream().flatMap(c -> java.util.stream.Stream.of(c,
                        c + ".ok")).toList());
        for (String c : caches(cache)) {
            assertThat(cache.resolve(c + ".ok")).as(c + ".ok").hasContent(bootId());
        }
        for (String args : List.of("--version", "--help", "completion bash")) {
            run(launcher, Map.of("SYSEXTCTL_CACHE_DIR", cache.toString(), "SYSEXTCTL_JAVA_OPTS", "-XX:AOTMode=on"),
                    args.split(" "));
        }
    }

    /**
     * A cache that cannot be used (cut short, garbage, empty) is ignored without a word: the command's output and exit
     * code are those of a run without caches. A failing first run makes no cache (it would hold the classes of the
     * error path only).
     */
    @Test
    void aBrokenCacheNeitherFailsNorPollutesTheCommandAndAFailedRunMakesNone() throws Exception {
        Sysext sysext = sysext();
        Dist dist = sysext.dist();
        Path root = sysext.root();
        String launcher = sysext.launcher();
        String key = sysext.key();
        String expected = run(launcher, Map.of("SYSEXTCTL_CDS", "0"), "inspect", dist.raw().toString());
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Map<String, String> env = Map.of("SYSEXTCTL_CACHE_DIR", cache.toString());
        run(launcher, env, "inspect", dist.raw().toString());
        Path made = cache.resolve("sysextctl-" + key + "-inspect.aot");
        byte[] whole = Files.readAllBytes(made);
        byte[] garbage = new byte[whole.length];
        new java.util.Random(12).nextBytes(garbage);
        for (byte[] broken : List.of(java.util.Arrays.copyOf(whole, whole.length / 3), garbage, new byte[0])) {
            Files.write(made, broken);
            assertThat(run(launcher, env, "inspect", dist.raw().toString())).as("a cache of %d bytes", broken.length)
                    .isEqualTo(expected);
        }

        Path fresh = tmp.resolve("fresh");
        Shell.Result refused = launch(launcher, Map.of("SYSEXTCTL_CACHE_DIR", fresh.toString()), "validate",
                tmp.resolve("missing.raw").toString());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
        assertThat(refused.stdout()).isEmpty();
        assertThat(refused.stderr().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("sysextctl: ");
        assertThat(files(fresh)).as("no cache, no temporary file after a failed first run").isEmpty();
    }

    /**
     * A cache damaged on disk (docs/cli.md §11) neither fails nor changes a command: a byte flipped in the header and
     * in places through the regions, with the file's modification time kept (as a disk would leave it), of a cache
     * checked in an earlier boot, is found by the check of the first run in this boot, which then gives the output
     * of a run without caches and makes the cache again; so is a cache changed in place after its check. Each damage
     * is one the runtime's own check finds ({@code -XX:AOTMode=on -XX:+VerifySharedSpaces}).
     */
    @Test
    void aCacheDamagedOnDiskIsFoundByTheFirstRunOfABootAndMadeAgain() throws Exception {
        Sysext sysext = sysext();
        String launcher = sysext.launcher();
        String image = sysext.dist().raw().toString();
        String expected = run(launcher, Map.of("SYSEXTCTL_CDS", "0"), "inspect", image);
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Map<String, String> env = Map.of("SYSEXTCTL_CACHE_DIR", cache.toString());
        run(launcher, env, "inspect", image);
        Path made = cache.resolve("sysextctl-" + sysext.key() + "-inspect.aot");
        Path checked = cache.resolve(made.getFileName() + ".ok");
        assertThat(checked).as("the first run's cache counts as checked in this boot").hasContent(bootId());
        assertThat(acceptsWhole(sysext, made)).as("the cache the first run made").isTrue();
        // the header, then places through the regions (read-write, read-only, bitmap, heap objects, code)
        double[] places = {0, 0.02, 0.2, 0.45, 0.6, 0.8, 0.9, 0.95, 0.99};
        for (int i = 0; i <= places.length; i++) {
            byte[] whole = Files.readAllBytes(made);
            boolean inPlace = i == places.length;
            int offset = nonZeroFrom(whole, inPlace ? whole.length / 3 : (int) (whole.length * places[i]) + 17);
            byte[] damaged = whole.clone();
            damaged[offset] ^= 0x10;
            java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(made);
            Files.write(made, damaged);
            if (inPlace) {
                // changed after its check in this boot: newer than the check's record
                Files.setLastModifiedTime(checked, mtime);
                Files.setLastModifiedTime(made, java.nio.file.attribute.FileTime.fromMillis(mtime.toMillis() + 2000));
            } else {
                Files.setLastModifiedTime(made, mtime);
                Files.writeString(checked, "00000000-0000-0000-0000-000000000000\n");
            }
            String what = (inPlace ? "changed in place, " : "an earlier boot's, ") + "byte " + offset + " of "
                    + whole.length + " flipped";
            assertThat(acceptsWhole(sysext, made)).as("the runtime's check finds the cache damaged: %s", what).isFalse();
            assertThat(run(launcher, env, "inspect", image)).as(what).isEqualTo(expected);
            assertThat(made).as("a cache again: %s", what).exists();
            assertThat(acceptsWhole(sysext, made)).as("the cache made again: %s", what).isTrue();
            assertThat(checked).as("checked in this boot: %s", what).hasContent(bootId());
            assertThat(run(launcher, env, "inspect", image)).as("the next run: %s", what).isEqualTo(expected);
        }
        assertThat(files(cache)).containsExactlyInAnyOrder(made.getFileName().toString(),
                checked.getFileName().toString());
    }

    /**
     * A damage the check of this boot did not see (the cache went bad after it) and that crashes the runtime: the run
     * that crashes removes the cache and says so on stderr (the launcher does not run the command again: it may have
     * had effects by then, docs/cli.md §11), and the next run makes a new one.
     */
    @Test
    void aCacheThatCrashesTheRuntimeIsRemovedByThatRunAndTheNextRunMakesANewOne() throws Exception {
        Sysext sysext = sysext();
        String launcher = sysext.launcher();
        String version = "sysextctl " + version(sysext.dist()) + "\n";
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Map<String, String> env = Map.of("SYSEXTCTL_CACHE_DIR", cache.toString());
        run(launcher, env, "--version");
        Path made = cache.resolve("sysextctl-" + sysext.key() + "-version.aot");
        Path checked = cache.resolve(made.getFileName() + ".ok");
        byte[] whole = Files.readAllBytes(made);
        Shell.Result crashed = null;
        for (double at : new double[] {0.1, 0.05, 0.2}) {
            byte[] damaged = whole.clone();
            java.util.Arrays.fill(damaged, (int) (whole.length * at), (int) (whole.length * at) + 65536, (byte) 0xff);
            java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(made);
            Files.write(made, damaged);
            Files.setLastModifiedTime(made, mtime);
            assertThat(checked).as("checked in this boot, before the damage").hasContent(bootId());
            Shell.Result r = launch(launcher, env, tmp, "--version");
            if (r.exitCode() == 134) {
                crashed = r;
                break;
            }
        }
        assertThat(crashed).as("64 KiB of 0xff in the read-write region crashes the runtime").isNotNull();
        assertThat(crashed.stderr()).as(crashed.all()).contains("sysextctl: the Java runtime crashed, so " + made
                + " is removed in case it is damaged: the next run makes a new one");
        assertThat(crashReports(tmp)).as("crash reports in the working directory").isEmpty();
        String output = crashed.all();
        assertThat(crashReports(cache)).as("the crash report, beside the caches").singleElement()
                .satisfies(n -> assertThat(output).contains(cache.resolve(n).toString()));
        assertThat(made).doesNotExist();
        assertThat(checked).doesNotExist();
        assertThat(run(launcher, env, "--version")).isEqualTo(version);
        assertThat(acceptsWhole(sysext, made)).as("the cache made again").isTrue();
        assertThat(checked).hasContent(bootId());
        assertThat(run(launcher, env, "--version")).isEqualTo(version);
    }

    /**
     * Without a start-up cache (or a cache directory it may write), a JVM crash leaves its report in {@code $TMPDIR}
     * (docs/cli.md §11), not in the directory the user ran sysextctl in. The crash is the JVM's own, on an exception
     * picocli throws for an unknown option ({@code -XX:AbortVMOnException}).
     */
    @Test
    void aCrashReportGoesToTmpdirWithoutCachesNotIntoTheWorkingDirectory() throws Exception {
        Sysext sysext = sysext();
        Path cwd = Files.createDirectories(tmp.resolve("cwd"));
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        Shell.Result crashed = launch(sysext.launcher(), Map.of("SYSEXTCTL_CDS", "0", "TMPDIR", tmpdir.toString(),
                "SYSEXTCTL_JAVA_OPTS", "-XX:+UnlockDiagnosticVMOptions "
                        + "-XX:AbortVMOnException=picocli.CommandLine$UnmatchedArgumentException"),
                cwd, "list", "--no-such-option");
        assertThat(crashed.exitCode()).as(crashed.all()).isEqualTo(134);
        assertThat(crashReports(cwd)).as("crash reports in the working directory").isEmpty();
        assertThat(crashReports(tmpdir)).as("the crash report in $TMPDIR").singleElement()
                .satisfies(n -> assertThat(crashed.all()).contains(tmpdir.resolve(n).toString()));
    }

    /** The JVM's crash reports in {@code dir}: its own name in the working directory, or the launcher's. */
    private static List<String> crashReports(Path dir) throws Exception {
        return files(dir).stream().filter(n -> n.matches("(sysextctl-)?hs_err_pid[0-9]+\\.log")).toList();
    }

    /**
     * The first run of a command removes what earlier sysexts left (caches of another key, the class-data archives
     * of the launcher before) and concurrent first runs each write their own temporary file and rename it: one
     * cache, whole, and every run's output is the same.
     */
    @Test
    void concurrentFirstRunsLeaveOneWholeCacheAndOldKeysGo() throws Exception {
        Sysext sysext = sysext();
        Dist dist = sysext.dist();
        Path root = sysext.root();
        String launcher = sysext.launcher();
        String key = sysext.key();
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.write(cache.resolve("sysextctl-0123456789abcdef-list.aot"), new byte[] {1});
        Files.write(cache.resolve("sysextctl-0123456789abcdef-list.aot.ok"), new byte[] {1});
        Files.write(cache.resolve("sysextctl-25-list.jsa"), new byte[] {1});
        Files.write(cache.resolve("unrelated"), new byte[] {1});
        Map<String, String> env = Map.of("SYSEXTCTL_CACHE_DIR", cache.toString());
        List<java.util.concurrent.CompletableFuture<String>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> run(launcher, env, "list", "--root", root.toString(), "--json")));
        }
        List<String> outputs = runs.stream().map(java.util.concurrent.CompletableFuture::join).toList();
        assertThat(outputs).as("the outputs of three concurrent first runs").allSatisfy(o -> assertThat(o)
                .isEqualTo(outputs.get(0)));
        JSON.readTree(outputs.get(0));
        assertThat(files(cache)).containsExactlyInAnyOrder("sysextctl-" + key + "-list.aot",
                "sysextctl-" + key + "-list.aot.ok", "unrelated");
        assertThat(run(launcher, Map.of("SYSEXTCTL_CACHE_DIR", cache.toString(), "SYSEXTCTL_JAVA_OPTS",
                "-XX:AOTMode=on"), "list", "--root", root.toString(), "--json")).isEqualTo(outputs.get(0));
    }

    /**
     * What scripts/package fills in: the sysext's launcher knows its directory, the runtime's feature release and the
     * key of its caches (a hash of the jar and the runtime, so another build gets other caches); the Debian package has
     * a launcher of its own, as it is in the repository (the system's java, class-data archives; DebLauncherIT). The
     * sysext's jar is the release jar without zstd-jni's libraries, whose one for the image's architecture is beside
     * it.
     */
    @Test
    void theLaunchersAreFilledInAndTheSysextsJarLeavesOutTheNativeLibraries() throws Exception {
        Dist dist = Dist.get();
        Path root = unpack(dist);
        Path lib = root.resolve("usr/lib/sysextctl");
        String release = Files.readString(lib.resolve("runtime/release"));
        String feature = release.replaceAll("(?s).*JAVA_VERSION=\"([0-9]+).*", "$1");
        assertThat(Files.readAllLines(lib.resolve("sysextctl"))).contains("installed_dir=/usr/lib/sysextctl",
                "runtime_feature=" + feature);
        assertThat(bakedKey(lib.resolve("sysextctl").toString())).matches("[0-9a-f]{16}");

        Path x = tmp.resolve("deb");
        Shell.run("dpkg-deb", "-x", dist.deb().toString(), x.toString()).assertSuccess();
        assertThat(x.resolve("usr/share/sysextctl/sysextctl")).as("the Debian package's own launcher")
                .hasSameTextualContentAs(TestEnvironment.repository().resolve("packaging/deb/sysextctl"));

        assertIsTheReleaseJarWithoutNativeLibraries(lib.resolve("sysextctl.jar"), dist.jar());
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(dist.jar().toFile())) {
            java.util.zip.ZipEntry amd64 = zip.stream().filter(e -> e.getName().matches("linux/amd64/libzstd-jni-.*\\.so"))
                    .findFirst().orElseThrow();
            try (var in = zip.getInputStream(amd64)) {
                assertThat(Files.readAllBytes(lib.resolve("libzstd-jni.so"))).isEqualTo(in.readAllBytes());
            }
        }
    }

    /** The release files, the sysext unpacked, its launcher and the key of its caches. */
    private record Sysext(Dist dist, Path root, String launcher, String key) {
    }

    private Sysext sysext() throws Exception {
        Dist dist = Dist.get();
        Path root = unpack(dist);
        String launcher = root.resolve("usr/lib/sysextctl/sysextctl").toString();
        return new Sysext(dist, root, launcher, bakedKey(launcher));
    }

    private Path unpack(Dist dist) {
        Path root = tmp.resolve("sysext");
        if (!Files.isDirectory(root)) {
            Shell.run("unsquashfs", "-q", "-n", "-d", root.toString(), dist.raw().toString()).assertSuccess();
        }
        return root;
    }

    private static String version(Dist dist) {
        return dist.jar().getFileName().toString().replaceAll("^sysextctl-|\\.jar$", "");
    }

    private static String bootId() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"));
    }

    /** The first byte that is not zero at or after {@code from} (zeros may be padding between regions). */
    private static int nonZeroFrom(byte[] bytes, int from) {
        int i = Math.min(from, bytes.length - 1);
        while (i < bytes.length - 1 && bytes[i] == 0) {
            i++;
        }
        return i;
    }

    /**
     * Whether the sysext's runtime takes this AOT cache whole with the launcher's options: {@code -XX:AOTMode=on} makes
     * any fault an error, {@code -XX:+VerifySharedSpaces} checks the CRC of the header and of each region.
     */
    private static boolean acceptsWhole(Sysext sysext, Path aot) throws Exception {
        Path lib = Path.of(sysext.launcher()).getParent();
        String jvm = Files.readAllLines(lib.resolve("sysextctl")).stream().filter(l -> l.startsWith("jvm=\""))
                .findFirst().orElseThrow().replaceAll("^jvm=\"|\"$", "");
        List<String> argv = new ArrayList<>(List.of(lib.resolve("runtime/bin/java").toString()));
        argv.addAll(List.of(jvm.split(" ")));
        argv.addAll(List.of("-XX:AOTCache=" + aot, "-XX:AOTMode=on", "-XX:+VerifySharedSpaces", "-Xlog:disable",
                "-XX:ErrorFile=/dev/null", "-cp", lib.resolve("sysextctl.jar").toString(), "-version"));
        return Shell.run(argv, Map.of(), null, 120).exitCode() == 0;
    }

    private static String bakedKey(String launcher) throws Exception {
        return Files.readAllLines(Path.of(launcher)).stream().filter(l -> l.startsWith("runtime_key=")).findFirst()
                .orElseThrow().substring("runtime_key=".length());
    }

    /** Every entry of the release jar but zstd-jni's {@code linux/} libraries, in order, with the same CRC. */
    private static void assertIsTheReleaseJarWithoutNativeLibraries(Path sysextJar, Path releaseJar) throws Exception {
        List<String> released = entries(releaseJar);
        assertThat(released).anyMatch(e -> e.startsWith("linux/amd64/libzstd-jni-"));
        assertThat(entries(sysextJar)).as("the sysext's jar: name and CRC of each entry")
                .containsExactlyElementsOf(released.stream().filter(e -> !e.startsWith("linux/")).toList());
    }

    private static List<String> entries(Path jar) throws Exception {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.stream().map(e -> e.getName() + " " + Long.toHexString(e.getCrc())).toList();
        }
    }

    private static List<String> caches(Path cache) throws Exception {
        return files(cache).stream().filter(n -> n.endsWith(".aot")).toList();
    }

    private static List<String> files(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String run(String launcher, String... args) {
        return run(launcher, Map.of(), args);
    }

    private static String run(String launcher, Map<String, String> extraEnv, String... args) {
        Shell.Result r = launch(launcher, extraEnv, args);
        assertThat(r.exitCode()).as("sysextctl %s: %s", String.join(" ", args), r.all()).isZero();
        assertThat(r.stderr()).as("sysextctl %s: stderr", String.join(" ", args)).doesNotContain("Exception", "WARNING");
        return r.stdout();
    }

    private static Shell.Result launch(String launcher, Map<String, String> extraEnv, String... args) {
        return launch(launcher, extraEnv, null, args);
    }

    private static Shell.Result launch(String launcher, Map<String, String> extraEnv, Path dir, String... args) {
        List<String> argv = new ArrayList<>(List.of(launcher));
        argv.addAll(List.of(args));
        // no java on PATH and no JAVA_HOME: the sysext's launcher must use its own runtime
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        // not the machine's /var/cache/sysextctl: another build's launcher there would remove this one's caches
        env.putIfAbsent("SYSEXTCTL_CACHE_DIR", TestEnvironment.repository().resolve("e2e/target/package-cache").toString());
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("JAVA_HOME", "/nonexistent");
        return Shell.run(argv, env, dir, 120);
    }

    private static String field(String deb, String name) {
        return Shell.run("dpkg-deb", "--field", deb, name).assertSuccess().stdout().strip();
    }
}
