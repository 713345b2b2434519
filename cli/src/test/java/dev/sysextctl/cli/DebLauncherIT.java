package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import dev.sysextctl.testing.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package's launcher ({@code packaging/deb/sysextctl}, docs/cli.md §11) on the JDK running the tests: the
 * first successful run of a command makes that command's class-data archive, the next runs map it, and an archive
 * that is damaged, stale or left over never fails or changes a command.
 */
@Requires(tools = {"sh", "java", "env"})
class DebLauncherIT {
    private static final Path LAUNCHER = TestEnvironment.repository().resolve("packaging/deb/sysextctl");
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path tmp;
    private Path jar;
    private Path cds;
    private String version;

    @BeforeEach
    void setUp() throws IOException {
        jar = Files.copy(Jar.path(), tmp.resolve("sysextctl.jar"));
        cds = tmp.resolve("cds");
        version = Files.readAllLines(Path.of(JAVA_HOME, "release")).stream()
                .filter(l -> l.startsWith("JAVA_VERSION=\"")).findFirst().orElseThrow()
                .replaceAll("^JAVA_VERSION=\"|\"$", "");
    }

    @Test
    void theFirstRunOfACommandMakesItsArchiveAndTheNextRunsMapIt() throws Exception {
        String expected = ok(Map.of("SYSEXTCTL_CDS", "0"), "inspect", "--help");
        assertThat(names()).as("archives after a run with SYSEXTCTL_CDS=0").isEmpty();

        assertThat(ok(Map.of(), "inspect", "--help")).as("the first run's output").isEqualTo(expected);
        Path archive = cds.resolve("java-" + version + "-inspect.jsa");
        assertThat(names()).as("the archive, and the boot its first run checked it in")
                .containsExactlyInAnyOrder(archive.getFileName().toString(), archive.getFileName() + ".ok");
        assertThat(Files.readString(cds.resolve(archive.getFileName() + ".ok")).strip())
                .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip());
        FileTime made = Files.getLastModifiedTime(archive);

        String loaded = ok(Map.of("SYSEXTCTL_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"), "inspect", "--help");
        assertThat(loaded.lines().filter(l -> l.contains("[class,load] dev.sysextctl.cli.Main ")))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("shared objects file (top)");
        assertThat(ok(Map.of(), "inspect", "--help")).as("a later run's output").isEqualTo(expected);
        assertThat(Files.getLastModifiedTime(archive)).as("the archive is not made again").isEqualTo(made);

        ok(Map.of(), "--version");
        ok(Map.of(), "merge", "--help");
        ok(Map.of(), "refresh", "--help");
        ok(Map.of(), "completion", "bash");
        List<String> archives = List.of("java-" + version + "-inspect.jsa", "java-" + version + "-version.jsa",
                "java-" + version + "-merge.jsa", "java-" + version + "-refresh.jsa", "java-" + version + ".jsa");
        List<String> withChecks = new java.util.ArrayList<>(archives);
        archives.forEach(a -> withChecks.add(a + ".ok"));
        assertThat(names()).containsExactlyInAnyOrderElementsOf(withChecks);
    }

    /** A DDI build loads classes a squashfs build does not (GPT, verity, signing): each keeps an archive of its own. */
    @Test
    void aDdiBuildHasAnArchiveOfItsOwn() throws Exception {
        ok(Map.of(), "build", "--help");
        ok(Map.of(), "build", "--format", "ddi", "--help");
        assertThat(names()).containsExactlyInAnyOrder("java-" + version + "-build.jsa",
                "java-" + version + "-build.jsa.ok", "java-" + version + "-build-ddi.jsa",
                "java-" + version + "-build-ddi.jsa.ok");
        FileTime made = Files.getLastModifiedTime(cds.resolve("java-" + version + "-build-ddi.jsa"));
        ok(Map.of(), "build", "--format=ddi", "--help");
        ok(Map.of(), "build", "--format", "squashfs", "--help");
        assertThat(names()).as("--format=ddi and another format's build use the archives made").hasSize(4);
        assertThat(Files.getLastModifiedTime(cds.resolve("java-" + version + "-build-ddi.jsa"))).isEqualTo(made);
    }

    /**
     * Garbage or empty, the JVM ignores the archive; cut short or with a flipped byte inside it, Java 17 may crash
     * (SIGBUS, SIGSEGV), and then only that run fails: the archive is removed, and the next run gives the command's
     * output (and makes a new one).
     */
    @Test
    void aDamagedArchiveNeverFailsMoreThanOneRunNorChangesTheOutput() throws Exception {
        String expected = ok(Map.of("SYSEXTCTL_CDS", "0"), "inspect", "--help");
        ok(Map.of(), "inspect", "--help");
        Path archive = cds.resolve("java-" + version + "-inspect.jsa");
        byte[] whole = Files.readAllBytes(archive);
        byte[] garbage = new byte[whole.length];
        Random random = new Random(17);
        random.nextBytes(garbage);
        int crashes = 0;
        for (byte[] broken : List.of(garbage, new byte[0])) {
            write(archive, broken);
            assertThat(ok(Map.of(), "inspect", "--help")).as("an archive of %d bytes", broken.length)
                    .isEqualTo(expected);
        }
        write(archive, java.util.Arrays.copyOf(whole, whole.length / 3));
        crashes += atMostThisRunFails(archive, expected, "cut short");
        for (int i = 0; i < 16; i++) {
            byte[] flipped = whole.clone();
            int at = 4096 + random.nextInt(whole.length - 4096);
            flipped[at] ^= 0x5a;
            write(archive, flipped);
            crashes += atMostThisRunFails(archive, expected, "byte " + at + " flipped");
        }
        System.out.println("DebLauncherIT: " + crashes + " of 17 damaged archives crashed the JVM");

        // damaged at rest: checked in an earlier boot, older than its check; the first run of this boot finds it
        byte[] now = Files.readAllBytes(archive);
        for (int i = 0; i < 8; i++) {
            byte[] flipped = now.clone();
            int at = 4096 + random.nextInt(now.length - 4096);
            flipped[at] ^= 0x5a;
            write(archive, flipped);
            Path ok = cds.resolve(archive.getFileName() + ".ok");
            Files.writeString(ok, "an-earlier-boot\n");
            FileTime before = FileTime.fromMillis(System.currentTimeMillis() - 60_000);
            Files.setLastModifiedTime(archive, before);
            Shell.Result r = launch(Map.of(), "inspect", "--help");
            assertThat(r.exitCode()).as("byte %d flipped at rest: %s", at, r.all()).isZero();
            assertThat(r.stdout()).as("byte %d flipped at rest", at).isEqualTo(expected);
            now = Files.readAllBytes(archive);
        }
    }

    /** Runs the command with the archive as it is: 1 when the JVM crashed (and removed it), else 0. */
    private int atMostThisRunFails(Path archive, String expected, String damage) throws IOException {
        Shell.Result r = launch(Map.of(), "inspect", "--help");
        int crashed = 0;
        if (r.exitCode() != 0) {
            crashed = 1;
            assertThat(r.exitCode()).as("%s: %s", damage, r.all()).isEqualTo(134);
            assertThat(r.stderr()).as(damage).contains("sysextctl: the Java runtime crashed, so " + archive
                    + " is removed in case it is damaged: the next run makes a new one");
            assertThat(archive).as("%s: the archive after the crash", damage).doesNotExist();
        } else {
            assertThat(r.stdout()).as(damage).isEqualTo(expected);
        }
        assertThat(ok(Map.of(), "inspect", "--help")).as("the run after: %s", damage).isEqualTo(expected);
        return crashed;
    }

    @Test
    void aFailedFirstRunMakesNoArchive() throws Exception {
        Shell.Result r = launch(Map.of(), "validate", tmp.resolve("missing.raw").toString());
        assertThat(r.exitCode()).as(r.all()).isEqualTo(2);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("sysextctl: ");
        assertThat(names()).as("no archive, no temporary file after a failed first run").isEmpty();
    }

    /**
     * A jar or a java newer than the archive (an upgraded package or JDK) makes it again; the first run also removes
     * the archives of other runtime versions and the temporary files of runs that were killed.
     */
    @Test
    void aNewerJarOrJavaMakesTheArchiveAgainAndLeftoversGo() throws Exception {
        Path java = fakeJdk("");
        Files.createDirectories(tmp.resolve("jdk/lib/server"));
        Files.createSymbolicLink(tmp.resolve("jdk/lib/server/classes.jsa"),
                Path.of(JAVA_HOME, "lib/server/classes.jsa"));
        Map<String, String> env = Map.of("JAVA_HOME", tmp.resolve("jdk").toString());
        Files.createDirectories(cds);
        Files.write(cds.resolve("java-0.0.1-list.jsa"), new byte[] {1});
        Files.write(cds.resolve("java-" + version + "-list.jsa.tmp999999999"), new byte[] {1});
        Files.write(cds.resolve("unrelated"), new byte[] {1});

        String expected = ok(env, "list", "--help");
        Path archive = cds.resolve("java-" + version + "-list.jsa");
        assertThat(names()).containsExactlyInAnyOrder(archive.getFileName().toString(), archive.getFileName() + ".ok",
                "unrelated");

        FileTime older = FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() - 3_600_000);
        for (Path newer : List.of(jar, java)) {
            Files.setLastModifiedTime(archive, older);
            Files.setLastModifiedTime(newer, FileTime.fromMillis(older.toMillis() + 60_000));
            assertThat(ok(env, "list", "--help")).isEqualTo(expected);
            assertThat(Files.getLastModifiedTime(archive)).as("the archive after %s became newer", newer)
                    .isGreaterThan(Files.getLastModifiedTime(newer));
            Files.setLastModifiedTime(newer, older);
        }
    }

    /**
     * A runtime without its own class-data archive (or with sharing turned off) cannot write a dynamic one: asked to,
     * its JVM does not start. The command then runs without making one.
     */
    @Test
    void aRuntimeWithoutItsOwnArchiveRunsTheCommandAndMakesNone() throws Exception {
        String expected = ok(Map.of("SYSEXTCTL_CDS", "0"), "--version");
        Path java = fakeJdk("-Xshare:off");
        Map<String, String> env = Map.of("JAVA_HOME", java.getParent().getParent().toString());
        assertThat(ok(env, "--version")).isEqualTo(expected);
        assertThat(ok(env, "--version")).isEqualTo(expected);
        assertThat(ok(Map.of("SYSEXTCTL_JAVA_OPTS", "-Xshare:off"), "--version")).isEqualTo(expected);
        assertThat(names()).isEmpty();
    }

    /**
     * A JVM crash leaves its report beside the archives, or in {@code $TMPDIR} without them (docs/cli.md §11), never in
     * the directory the user ran sysextctl in. The crash is the JVM's own, on the exception picocli throws for an
     * unknown option ({@code -XX:AbortVMOnException}).
     */
    @Test
    void aCrashReportGoesBesideTheArchivesOrToTmpdirNotIntoTheWorkingDirectory() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        String crash = "-XX:+UnlockDiagnosticVMOptions "
                + "-XX:AbortVMOnException=picocli.CommandLine$UnmatchedArgumentException";
        Shell.Result withArchives = launch(Map.of("SYSEXTCTL_JAVA_OPTS", crash, "TMPDIR", tmpdir.toString()), "list",
                "--no-such-option");
        assertThat(withArchives.exitCode()).as(withArchives.all()).isEqualTo(134);
        assertThat(crashReports(tmp)).as("crash reports in the working directory").isEmpty();
        assertThat(crashReports(cds)).as("the crash report, beside the archives").singleElement()
                .satisfies(n -> assertThat(withArchives.all()).contains(cds.resolve(n).toString()));

        Shell.Result without = launch(Map.of("SYSEXTCTL_JAVA_OPTS", crash, "TMPDIR", tmpdir.toString(),
                "SYSEXTCTL_CDS", "0"), "list", "--no-such-option");
        assertThat(without.exitCode()).as(without.all()).isEqualTo(134);
        assertThat(crashReports(tmp)).as("crash reports in the working directory").isEmpty();
        assertThat(crashReports(tmpdir)).as("the crash report in $TMPDIR").singleElement()
                .satisfies(n -> assertThat(without.all()).contains(tmpdir.resolve(n).toString()));
    }

    /** The JVM's crash reports in {@code dir}: its own name in the working directory, or the launcher's. */
    /**
     * Both shell launchers (this package's and the sysext's, {@code packaging/sysext/sysextctl}) ask for transparent
     * huge pages exactly where the kernel offers them ({@code [always]} or {@code [madvise]} in
     * {@code /sys/kernel/mm/transparent_hugepage/enabled}); where they are off ({@code [never]}, bound over the file in
     * a private mount namespace) they do not, and the JVM has nothing to warn about.
     */
    @Test
    @Requires(root = true, mounts = true, tools = {"unshare", "mount"})
    void transparentHugePagesAreAskedForOnlyWhereTheKernelOffersThem() throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(thp), "no " + thp);
        Path argvFile = tmp.resolve("argv");
        String recorder = "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argvFile + "'\n";
        // the Debian package's launcher with a JAVA_HOME whose java records its arguments
        Path home = Files.createDirectories(tmp.resolve("argv-jdk/bin"));
        Files.writeString(home.resolve("java"), recorder);
        Files.setPosixFilePermissions(home.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // the sysext's launcher, laid out as in the image with such a java as its runtime
        Path lib = Files.createDirectories(tmp.resolve("sysext/usr/lib/sysextctl/runtime/bin"));
        Files.writeString(lib.resolve("java"), recorder);
        Files.setPosixFilePermissions(lib.resolve("java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sysextLauncher = Files.copy(TestEnvironment.repository().resolve("packaging/sysext/sysextctl"),
                tmp.resolve("sysext/usr/lib/sysextctl/sysextctl"));
        Path sysextJar = Files.copy(jar, tmp.resolve("sysext/usr/lib/sysextctl/sysextctl.jar"));
        Map<Path, List<String>> tails = Map.of(LAUNCHER, List.of("-jar", jar.toString(), "--version"),
                sysextLauncher, List.of("-cp", sysextJar.toString(), "dev.sysextctl.cli.Main", "--version"));
        for (String mode : List.of("always [madvise] never", "[always] madvise never", "always madvise [never]")) {
            Path fake = Files.writeString(tmp.resolve("thp-enabled"), mode + "\n");
            for (Map.Entry<Path, List<String>> launcher : tails.entrySet()) {
                Files.deleteIfExists(argvFile);
                Shell.Result r = Shell.run(List.of("unshare", "-m", "sh", "-c",
                        "mount --make-rprivate / && mount --bind \"$1\" " + thp + " && shift && exec sh \"$@\"",
                        "sh", fake.toString(), launcher.getKey().toString(), "--version"),
                        Map.of("SYSEXTCTL_JAR", jar.toString(), "SYSEXTCTL_CDS_DIR", cds.toString(),
                                "SYSEXTCTL_JAVA_OPTS", "", "JAVA_HOME", home.getParent().toString(),
                                "SYSEXTCTL_CDS", "0"), tmp, 60);
                assertThat(r.exitCode()).as(r.all()).isZero();
                List<String> argv = Files.readAllLines(argvFile);
                String what = launcher.getKey() + " under " + mode;
                if (mode.contains("[never]")) {
                    assertThat(argv).as(what).doesNotContain("-XX:+UseTransparentHugePages");
                } else {
                    assertThat(argv).as(what).contains("-XX:+UseTransparentHugePages");
                }
                assertThat(argv).as(what).endsWith(launcher.getValue().toArray(String[]::new));
            }
        }
        // and the real JVM under the machine's own setting: no word on stderr, the version on stdout
        assertThat(ok(Map.of("SYSEXTCTL_CDS", "0"), "--version")).startsWith("sysextctl ");
    }

    private static List<String> crashReports(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("(sysextctl-)?hs_err_pid[0-9]+\\.log"))
                    .toList();
        }
    }

    /** A JAVA_HOME whose bin/java is a script running this JDK's java with {@code options}; no lib/server. */
    private Path fakeJdk(String options) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("jdk/bin"));
        Files.copy(Path.of(JAVA_HOME, "release"), tmp.resolve("jdk/release"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path java = home.resolve("java");
        Files.writeString(java, "#!/bin/sh\nexec '" + JAVA_HOME + "/bin/java' " + options + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    private String ok(Map<String, String> env, String... args) {
        Shell.Result r = launch(env, args);
        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).isEmpty();
        return r.stdout();
    }

    private Shell.Result launch(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        argv.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(Map.of("SYSEXTCTL_JAR", jar.toString(), "SYSEXTCTL_CDS_DIR",
                cds.toString(), "JAVA_HOME", JAVA_HOME, "SYSEXTCTL_JAVA_OPTS", ""));
        all.putAll(env);
        return Shell.run(argv, all, tmp, 180);
    }

    private List<String> names() throws IOException {
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cds)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void write(Path archive, byte[] bytes) throws IOException {
        archive.toFile().setWritable(true);
        Files.write(archive, bytes);
    }
}
