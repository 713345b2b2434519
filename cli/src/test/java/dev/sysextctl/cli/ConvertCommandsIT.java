package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sysextctl.converter.fixtures.ElfStub;
import dev.sysextctl.converter.fixtures.SquashfsArchives;
import dev.sysextctl.converter.fixtures.TarBuilder;
import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code convert torcx-image}, {@code convert torcx-profile} and {@code build} with torcx archives, end to end. */
@Requires(tools = {"mksquashfs", "unsquashfs"})
class ConvertCommandsIT {
    @TempDir
    Path tmp;

    private static String cat(Path image, String path) {
        return Shell.run("unsquashfs", "-cat", image.toString(), path).assertSuccess().stdout();
    }

    @Test
    void torcxImageConvertsF1() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Path out = tmp.resolve("out/docker.raw");
        Cli.Run r = Cli.run("convert", "torcx-image", archive.toString(), "-o", out.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("name").asText()).isEqualTo("docker");
        assertThat(j.path("extensionRelease").path("ARCHITECTURE").asText()).isEqualTo("x86-64");
        assertThat(j.path("extensionRelease").path("SYSEXT_VERSION_ID").asText()).isEqualTo("20.10");
        assertThat(j.path("extensionRelease").path("EXTENSION_RELOAD_MANAGER").asText()).isEqualTo("1");
        assertThat(j.path("torcx").path("reference").asText()).isEqualTo("20.10");
        assertThat(j.path("torcx").path("changes").size()).isGreaterThan(5);
        assertThat(cat(out, "usr/lib/extension-release.d/extension-release.docker"))
                .isEqualTo("ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=1\n");
        assertThat(cat(out, "usr/lib/systemd/system/containerd.service"))
                .contains("ExecStart=/usr/bin/containerd --config ${CONTAINERD_CONFIG}").doesNotContain("torcx");
        assertThat(cat(out, "usr/lib/systemd/system/sockets.target.d/10-docker-socket.conf"))
                .isEqualTo("[Unit]\nUpholds=docker.socket\n");
    }

    @Test
    void torcxImageHumanOutputNamesOverridesAndRefusesExistingOutput() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Path out = tmp.resolve("d.raw");
        Cli.Run r = Cli.run("convert", "torcx-image", archive.toString(), "--name", "mydocker", "--version", "9",
                "--os", "flatcar", "--sysext-level", "1.0", "-o", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("d.raw: squashfs").contains("torcx docker:20.10")
                .contains("unit-rewritten").contains("upholds-drop-in");
        assertThat(cat(out, "usr/lib/extension-release.d/extension-release.mydocker")).isEqualTo(
                "ID=flatcar\nSYSEXT_LEVEL=1.0\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=9\nEXTENSION_RELOAD_MANAGER=1\n");
        Cli.Run again = Cli.run("convert", "torcx-image", archive.toString(), "-o", out.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.errLines()).last().asString().contains("already exists");
    }

    @Test
    void hostileArchiveIsRefusedAndNothingIsWritten() throws Exception {
        Path archive = TorcxFixtures.f4Builder(true).writeTgz(tmp.resolve("in/evil:1.torcx.tgz"));
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Cli.Run r = Cli.run("convert", "torcx-image", archive.toString(), "-o", out.resolve("evil.raw").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).contains("unsafe-path").contains("../escape").contains("/abs/path");
        try (var s = Files.list(out)) {
            assertThat(s).isEmpty();
        }
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void badArchiveNamesAndContentsGetOneLine() throws Exception {
        Path notTorcx = tmp.resolve("docker.tgz");
        Files.write(notTorcx, TorcxFixtures.f1Builder(false).tgz());
        Cli.Run r = Cli.run("convert", "torcx-image", notTorcx.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("not named like a torcx archive");
        Path plain = TorcxFixtures.f1Builder(false).writeTar(tmp.resolve("docker:1.torcx.tgz"));
        Cli.Run p = Cli.run("convert", "torcx-image", plain.toString(), "-o", tmp.resolve("x.raw").toString());
        assertThat(p.exit()).isEqualTo(3);
        assertThat(p.errLines()).singleElement().asString().contains("not gzip-compressed");
    }

    private Path f2Root() throws Exception {
        Path sq = SquashfsArchives.write(TorcxFixtures.f1Builder(false), tmp.resolve("src/docker:19.03.torcx.squashfs"));
        return TorcxFixtures.f2(tmp.resolve("root"), sq);
    }

    @Test
    void torcxProfileResolvesF2() throws Exception {
        Path root = f2Root();
        Path out = tmp.resolve("out");
        Cli.Run r = Cli.run("convert", "torcx-profile", "--root", root.toString(), "-o", out.toString(), "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("torcx").path("mergedImages").toString())
                .isEqualTo("[\"docker:19.03\",\"addon_01:com.coreos.cl\"]");
        assertThat(j.path("images").get(0).path("archive").asText())
                .isEqualTo("/var/lib/torcx/store/docker:19.03.torcx.squashfs");
        assertThat(j.path("images").get(0).path("format").asText()).isEqualTo("squashfs");
        assertThat(j.path("images").get(1).path("name").asText()).isEqualTo("addon_01");
        assertThat(out.resolve("docker-19.03-x86-64.raw")).isRegularFile();
        assertThat(out.resolve("migration.json")).isRegularFile();
        assertThat(out.resolve("migration.txt")).isRegularFile();
        assertThat(cat(out.resolve("docker-19.03-x86-64.raw"), "usr/lib/extension-release.d/extension-release.docker"))
                .contains("SYSEXT_VERSION_ID=19.03");
    }

    @Test
    void torcxProfileEnableInstallsAndMasks() throws Exception {
        Path root = f2Root();
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createSymbolicLink(root.resolve("etc/extensions/docker-flatcar.raw"),
                Path.of("/usr/share/flatcar/sysext/docker-flatcar.raw"));
        Cli.Run r = Cli.run("convert", "torcx-profile", "--root", root.toString(), "-o", tmp.resolve("out").toString(),
                "--enable", "--arch", "x86_64");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("enabled: /etc/extensions/docker.raw -> /opt/extensions/docker/"
                + "docker-19.03-x86-64.raw").contains("masked: /etc/extensions/docker-flatcar.raw -> /dev/null");
        assertThat(Files.readSymbolicLink(root.resolve("etc/extensions/addon_01.raw")))
                .isEqualTo(Path.of("/opt/extensions/addon_01/addon_01-com.coreos.cl-x86-64.raw"));
        assertThat(root.resolve("opt/extensions/addon_01/addon_01-com.coreos.cl-x86-64.raw")).isRegularFile();
    }

    @Test
    void torcxProfileWithAMissingImageExitsOneAfterWritingTheReport() throws Exception {
        Path root = f2Root();
        TorcxFixtures.write(root.resolve("etc/torcx/profiles/custom.json"),
                TorcxFixtures.profile("profile-manifest-v1", "ghost:1"));
        Cli.Run r = Cli.run("convert", "torcx-profile", "--root", root.toString(), "-o", tmp.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("ghost:1  missing");
        assertThat(r.errLines()).singleElement().asString().contains("1 of 2 torcx images were not converted");
        assertThat(tmp.resolve("out/migration.json")).isRegularFile();
    }

    @Test
    void buildAcceptsATorcxArchive() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Path out = tmp.resolve("built.raw");
        Cli.Run r = Cli.run("build", archive.toString(), "-o", out.toString(), "--reload-manager", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("name").asText()).isEqualTo("docker");
        assertThat(cat(out, "usr/lib/extension-release.d/extension-release.docker")).contains("SYSEXT_VERSION_ID=20.10")
                .contains("EXTENSION_RELOAD_MANAGER=1");
        assertThat(cat(out, "usr/lib/systemd/system/docker.service")).doesNotContain("torcx");
    }

    @Test
    void buildTakesTheConvertedArchivesReleaseFieldsUnlessFlagsSayOtherwise() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Set<String> stagingBefore = stagingDirs();
        Path out = tmp.resolve("defaults.raw");
        Cli.Run r = Cli.run("build", archive.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(cat(out, "usr/lib/extension-release.d/extension-release.docker")).contains("ID=_any",
                "ARCHITECTURE=x86-64", "SYSEXT_VERSION_ID=20.10", "EXTENSION_RELOAD_MANAGER=1");
        Path flags = tmp.resolve("flags.raw");
        Cli.Run f = Cli.run("build", archive.toString(), "-o", flags.toString(), "--arch", "arm64", "--version", "2",
                "--set", "EXTENSION_RELOAD_MANAGER=0", "--os", "flatcar");
        assertThat(f.exit()).as(f.toString()).isZero();
        assertThat(cat(flags, "usr/lib/extension-release.d/extension-release.docker")).contains("ID=flatcar",
                "ARCHITECTURE=arm64", "SYSEXT_VERSION_ID=2", "EXTENSION_RELOAD_MANAGER=0");
        assertThat(newStagingDirs(stagingBefore)).as("the build closed its torcx source: no staging directory left")
                .isEmpty();
    }

    /**
     * The torcx staging directories in the directory {@code Files.createTempDirectory} uses, where an opened torcx
     * source stages. That is the {@code java.io.tmpdir} this JVM started with: failsafe sets the property to
     * target/tmp only after start-up, which {@code System.getProperty} shows but the JDK's temporary files ignore.
     */
    private static Set<String> stagingDirs() throws Exception {
        Path probe = Files.createTempDirectory("sysextctl-probe-");
        Files.delete(probe);
        return stagingDirs(probe.getParent());
    }

    /** Staging directories there now that were not in {@code before} (other processes may share the directory). */
    private static Set<String> newStagingDirs(Set<String> before) throws Exception {
        Set<String> now = stagingDirs();
        now.removeAll(before);
        return now;
    }

    private static Set<String> stagingDirs(Path tmpdir) throws Exception {
        try (var s = Files.list(tmpdir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sysextctl-torcx-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String release(Path image, String name) {
        return cat(image, "usr/lib/extension-release.d/extension-release." + name);
    }

    /** An architecture that is not this machine's: arm64, or x86-64 on an arm64 host. */
    private static String foreignArchitecture() {
        return Architecture.host().equals("arm64") ? "x86-64" : "arm64";
    }

    @Test
    void buildOfF1NamedDockerCarriesTheBinariesArchitectureAndTheReloadManager() throws Exception {
        Path out = tmp.resolve("docker.raw");
        Cli.Run r = Cli.run("build", TorcxFixtures.f1(tmp).toString(), "--name", "docker", "-o", out.toString(),
                "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().path("extensionRelease").path("ARCHITECTURE").asText()).isEqualTo("x86-64");
        assertThat(r.json().path("extensionRelease").path("EXTENSION_RELOAD_MANAGER").asText()).isEqualTo("1");
        assertThat(release(out, "docker"))
                .isEqualTo("ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=1\n");
    }

    @Test
    void buildNamesTheElfsArchitectureNotThisMachines() throws Exception {
        String foreign = foreignArchitecture();
        Path archive = new TarBuilder(TorcxFixtures.MTIME).dir("./", 0755).dir("./.torcx", 0755)
                .file("./.torcx/manifest.json", 0644, "{\"kind\":\"image-manifest-v0\",\"value\":{\"bin\":"
                        + "[\"/bin/tool\"]}}")
                .dir("./bin", 0755)
                .file("./bin/tool", 0755, ElfStub.build(true, false,
                        foreign.equals("arm64") ? ElfStub.EM_AARCH64 : ElfStub.EM_X86_64, ElfStub.DT_RUNPATH,
                        "$ORIGIN/../lib"))
                .writeTgz(tmp.resolve("tool:1.torcx.tgz"));
        Path out = tmp.resolve("tool.raw");
        Cli.Run r = Cli.run("build", archive.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(release(out, "tool"))
                .isEqualTo("ID=_any\nARCHITECTURE=" + foreign + "\nSYSEXT_VERSION_ID=1\nEXTENSION_RELOAD_MANAGER=1\n");
    }

    @Test
    void buildOfAnArchiveWithoutElfBinariesWritesNoArchitecture() throws Exception {
        Path archive = TorcxFixtures.addon(tmp.resolve("addon_01:7.torcx.tgz"));
        Path out = tmp.resolve("addon.raw");
        Cli.Run r = Cli.run("build", archive.toString(), "--name", "addon", "-o", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(release(out, "addon")).isEqualTo("ID=_any\nSYSEXT_VERSION_ID=7\nEXTENSION_RELOAD_MANAGER=1\n");
        Path arm = tmp.resolve("addon-arm.raw");
        Cli.Run a = Cli.run("build", archive.toString(), "--name", "addon", "--arch", "aarch64", "-o", arm.toString());
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(release(arm, "addon"))
                .isEqualTo("ID=_any\nARCHITECTURE=arm64\nSYSEXT_VERSION_ID=7\nEXTENSION_RELOAD_MANAGER=1\n");
    }

    @Test
    void buildArchFlagOverridesTheBinariesArchitecture() throws Exception {
        Path out = tmp.resolve("arch.raw");
        Cli.Run r = Cli.run("build", TorcxFixtures.f1(tmp).toString(), "--name", "docker", "--arch", "arm64", "-o",
                out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(release(out, "docker"))
                .isEqualTo("ID=_any\nARCHITECTURE=arm64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=1\n");
    }

    @Test
    void buildSetOverridesTheArchitectureAndTheReloadManager() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Path arch = tmp.resolve("set-arch.raw");
        Cli.Run a = Cli.run("build", archive.toString(), "--name", "docker", "--set", "ARCHITECTURE=arm64", "-o",
                arch.toString());
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(release(arch, "docker"))
                .isEqualTo("ID=_any\nARCHITECTURE=arm64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=1\n");
        Path reload = tmp.resolve("set-reload.raw");
        Cli.Run r = Cli.run("build", archive.toString(), "--name", "docker", "--set", "EXTENSION_RELOAD_MANAGER=0",
                "-o", reload.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(release(reload, "docker"))
                .isEqualTo("ID=_any\nARCHITECTURE=x86-64\nSYSEXT_VERSION_ID=20.10\nEXTENSION_RELOAD_MANAGER=0\n");
    }

    @Test
    void buildLeavesNoStagingDirectoryAfterSuccessOrRefusal() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Set<String> before = stagingDirs();
        // where an opened torcx source stages: this JVM's java.io.tmpdir, so the listings below are the right ones
        try (var source = dev.sysextctl.builder.source.SourceFactory.standard().open(archive)) {
            assertThat(source.describe()).contains("torcx image docker:20.10");
            assertThat(newStagingDirs(before)).as("an open torcx source stages in the JDK's temporary directory")
                    .hasSize(1);
        }
        assertThat(newStagingDirs(before)).isEmpty();

        Path out = tmp.resolve("ok.raw");
        Cli.Run ok = Cli.run("build", archive.toString(), "--name", "docker", "-o", out.toString());
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(newStagingDirs(before)).as("after a build").isEmpty();

        Cli.Run exists = Cli.run("build", archive.toString(), "--name", "docker", "-o", out.toString());
        assertThat(exists.exit()).as(exists.toString()).isEqualTo(2);
        assertThat(exists.errLines()).last().asString().contains("already exists");
        assertThat(newStagingDirs(before)).as("after refusing to overwrite").isEmpty();

        Cli.Run lint = Cli.run("build", archive.toString(), "--name", "docker", "--set", "ARCHITECTURE=pdp11", "-o",
                tmp.resolve("lint.raw").toString());
        assertThat(lint.exit()).as(lint.toString()).isEqualTo(3);
        assertThat(lint.err()).contains("bad-architecture");
        assertThat(tmp.resolve("lint.raw")).doesNotExist();
        assertThat(newStagingDirs(before)).as("after a lint refusal").isEmpty();

        Path hostile = TorcxFixtures.f4Builder(true).writeTgz(tmp.resolve("in/evil:1.torcx.tgz"));
        Cli.Run unsafe = Cli.run("build", hostile.toString(), "-o", tmp.resolve("evil.raw").toString());
        assertThat(unsafe.exit()).as(unsafe.toString()).isEqualTo(3);
        assertThat(unsafe.err()).contains("unsafe-path");
        assertThat(newStagingDirs(before)).as("after refusing a hostile archive").isEmpty();

        Cli.Run badArch = Cli.run("build", archive.toString(), "--name", "docker", "--arch", "pdp11", "-o",
                tmp.resolve("bad.raw").toString());
        assertThat(badArch.exit()).as(badArch.toString()).isEqualTo(2);
        assertThat(newStagingDirs(before)).as("after a usage error once the source was open").isEmpty();

        Cli.Run missing = Cli.run("build", archive.toString(), tmp.resolve("missing").toString(), "--name", "docker",
                "-o", tmp.resolve("missing.raw").toString());
        assertThat(missing.exit()).as(missing.toString()).isEqualTo(2);
        assertThat(missing.errLines()).last().asString().contains("does not exist");
        assertThat(newStagingDirs(before)).as("after a later source failed to open").isEmpty();
    }

    @Test
    void theJarStagesInItsJavaIoTmpdirAndLeavesNothingThere() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Path work = Files.createDirectories(tmp.resolve("cwd"));
        Path notADirectory = Files.writeString(tmp.resolve("plain-file"), "x");
        Shell.Result unusable = Jar.run(List.of(), notADirectory.resolve("tmp"), work, "build", archive.toString(),
                "-o", tmp.resolve("never.raw").toString());
        assertThat(unusable.exitCode()).as("the staging directory goes to java.io.tmpdir: " + unusable.all())
                .isEqualTo(1);
        assertThat(unusable.stderr()).contains("cannot create a staging directory");

        Path privateTmp = Files.createDirectories(tmp.resolve("private-tmp"));
        Shell.Result built = Jar.run(List.of(), privateTmp, work, "build", archive.toString(), "-o",
                tmp.resolve("jar.raw").toString());
        assertThat(built.exitCode()).as(built.all()).isZero();
        assertThat(stagingDirs(privateTmp)).isEmpty();
        Shell.Result refused = Jar.run(List.of(), privateTmp, work, "build", archive.toString(), "-o",
                tmp.resolve("jar.raw").toString());
        assertThat(refused.exitCode()).as(refused.all()).isEqualTo(2);
        assertThat(stagingDirs(privateTmp)).isEmpty();
    }

    /**
     * SIGTERM in the middle of a build (the archive staged, mksquashfs writing the image under its temporary name):
     * the JVM's shutdown hooks remove the staging directory and the partial image and stop mksquashfs, so nothing
     * of the interrupted build is left behind.
     */
    @Test
    void aBuildStoppedBySigtermLeavesNeitherStagingNorAPartialImage() throws Exception {
        TarBuilder big = TorcxFixtures.f1Builder(false);
        big.dir("./usr/share/big", 0755);
        java.util.Random random = new java.util.Random(15);
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[2 << 20];
            random.nextBytes(data);
            big.file("./usr/share/big/f" + i, 0644, data);
        }
        Path archive = big.writeTgz(tmp.resolve("big/docker:20.10.torcx.tgz"));
        Path privateTmp = Files.createDirectories(tmp.resolve("sigterm-tmp"));
        Path outDir = Files.createDirectories(tmp.resolve("sigterm-out"));
        Process p = new ProcessBuilder("java", "-Djava.io.tmpdir=" + privateTmp, "-jar", Jar.path().toString(),
                "build", archive.toString(), "-o", outDir.resolve("big.raw").toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("sigterm.log").toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (stagingDirs(privateTmp).isEmpty() || entries(outDir).isEmpty()) {
            assertThat(p.isAlive()).as("the build ended before it could be stopped: "
                    + Files.readString(tmp.resolve("sigterm.log"))).isTrue();
            assertThat(System.nanoTime()).as("staging and the image's temporary file never both appeared")
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
        p.destroy();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("stopped by SIGTERM, not finished: " + Files.readString(tmp.resolve("sigterm.log")))
                .isEqualTo(143);
        assertThat(stagingDirs(privateTmp)).isEmpty();
        assertThat(entries(outDir)).as("no partial image").isEmpty();
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (mksquashfsWritingInto(outDir) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(mksquashfsWritingInto(outDir)).as("mksquashfs was stopped with the build").isFalse();
    }

    private static Set<String> entries(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static boolean mksquashfsWritingInto(Path dir) throws Exception {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(d -> d.getFileName().toString().matches("\\d+")).anyMatch(d -> {
                try {
                    String cmdline = new String(Files.readAllBytes(d.resolve("cmdline")),
                            java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
                    return cmdline.startsWith("mksquashfs ") && cmdline.contains(dir.toString());
                } catch (java.io.IOException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void buildRefusesABrokenTorcxArchiveInOneLine() throws Exception {
        Path empty = tmp.resolve("docker:1.torcx.tgz");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(empty))) {
            gz.write(new byte[1024]);
        }
        Cli.Run r = Cli.run("build", empty.toString(), "-o", tmp.resolve("x.raw").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().contains("holds no tar entries");
        assertThat(tmp.resolve("x.raw")).doesNotExist();
    }

    @Test
    void defaultOutputNameIsNameReferenceArch() throws Exception {
        Path archive = TorcxFixtures.f1(tmp);
        Path work = Files.createDirectories(tmp.resolve("cwd"));
        Shell.Result r = Jar.run(List.of(), work, "convert", "torcx-image", archive.toString());
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(work.resolve("docker-20.10-x86-64.raw")).isRegularFile();
    }
}
