package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the packaged jar's plain (not {@code --json}) short commands leave out ({@code -Xlog:class+load}, no class-data
 * archive): each class named here stands for work done at run time in every run that loads it, which no archive
 * saves (method handles spun for a record's {@code equals}, a {@code Comparator.thenComparing} lambda, a glob compiled
 * into a regular expression, the locale data of {@link java.util.Formatter} and of zone names, the system logger
 * {@link Runtime#exit} looks up on Java 21 and later).
 */
@Requires(root = true, mounts = true, tools = {"mksquashfs", "unshare", "mount"})
class HotCommandClassesIT {
    @TempDir
    Path tmp;
    Path root;
    Path image;

    @BeforeEach
    void node() throws Exception {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/lib/extension-release.d"));
        Files.writeString(tree.resolve("usr/lib/extension-release.d/extension-release.ext1"), "ID=_any\n");
        Files.createDirectories(tree.resolve("usr/share/ext1"));
        Files.writeString(tree.resolve("usr/share/ext1/file"), "ext1\n");
        root = tmp.resolve("root");
        Files.createDirectories(root.resolve("etc/extensions"));
        Files.createDirectories(root.resolve("usr"));
        Files.writeString(root.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        image = root.resolve("etc/extensions/ext1.raw");
        Shell.run("mksquashfs", tree.toString(), image.toString(), "-noappend", "-all-root", "-quiet", "-no-progress")
                .assertSuccess();
    }

    @Test
    void statusOfALiveMergeInUtcComparesNoRecordsFormatsNoZoneNameAndReadsNoZoneDatabaseOrFileChannel() {
        // A live merge as systemd-sysext leaves it: a mount on the hierarchy whose .systemd-sysext/dev names it.
        String usr = root.resolve("usr").toString();
        String script = "set -e; mount -t tmpfs tmpfs " + usr + "; mkdir " + usr + "/.systemd-sysext; "
                + "stat -c '%Hd:%Ld' " + usr + " > " + usr + "/.systemd-sysext/dev; echo ext1 > " + usr
                + "/.systemd-sysext/extensions; exec " + String.join(" ", java(javaHome(), "status", "--root",
                        root.toString()));
        Shell.Result r = Shell.run(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script),
                Map.of("TZ", "UTC"), tmp, 120).assertSuccess();
        assertThat(r.stdout()).containsPattern("/usr +ext1 +[A-Z][a-z]{2} \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
        assertThat(loaded(r)).doesNotContain("java.lang.runtime.ObjectMethods", "java.util.Formatter",
                "sun.util.locale.provider.TimeZoneNameUtility", "java.time.format.DateTimeFormatterBuilder$ZoneTextPrinterParser",
                // TimeZone.getDefault() reads the JDK's zone database; the first NIO channel loads libnet and libnio
                "sun.util.calendar.ZoneInfoFile", "sun.nio.ch.FileChannelImpl");
    }

    @Test
    void listSortsWithoutComparatorLambdasCompilesNoGlobAndOpensNoFileChannel() {
        Shell.Result r = run(javaHome(), "list", "--root", root.toString()).assertSuccess();
        assertThat(r.stdout()).contains("ext1");
        List<String> loaded = loaded(r);
        assertThat(loaded).doesNotContain("sun.nio.fs.Globs", "java.lang.runtime.ObjectMethods",
                "java.time.format.DateTimeFormatterBuilder$ZoneTextPrinterParser", "sun.nio.ch.FileChannelImpl",
                // a bare squashfs image is judged without the kernel's dm-verity (probed for a DDI only)
                "dev.sysextctl.core.image.ddi.KernelVerity");
        assertThat(loaded).noneMatch(c -> c.startsWith("java.util.Comparator$$Lambda"));
    }

    /**
     * The native tools are made for every node command and never run by {@code list}: unsquashfs's listing parser,
     * with its date pattern (which sets up {@code java.time}'s formatting), is made at its first listing only.
     */
    @Test
    void listSetsUpNoDateTimeFormatter() {
        Shell.Result r = run(javaHome(), "list", "--root", root.toString()).assertSuccess();
        assertThat(r.stdout()).contains("ext1");
        assertThat(loaded(r)).contains("dev.sysextctl.core.tools.DefaultUnsquashfs")
                .doesNotContain("java.time.format.DateTimeFormatter", "java.time.format.DateTimeFormatterBuilder");
    }

    @Test
    void inspectPrintsSizesWithoutTheFormatter() {
        Shell.Result r = run(javaHome(), "inspect", image.toString()).assertSuccess();
        assertThat(r.stdout()).containsPattern("size +\\d+\\.\\d KiB \\(\\d+ bytes\\)");
        List<String> loaded = loaded(r);
        assertThat(loaded).doesNotContain("java.util.Formatter", "java.text.DecimalFormatSymbols");
        assertThat(loaded).noneMatch(c -> c.startsWith("java.util.Comparator$$Lambda"));
    }

    @Test
    void validateProbesSystemdWithoutCompilingGlobs() {
        // against this machine: its usr/lib and multiarch directories are searched for libsystemd-shared
        Shell.Result r = run(javaHome(), "validate", image.toString()).assertSuccess();
        assertThat(r.stdout()).contains("accepted");
        assertThat(loaded(r)).doesNotContain("sun.nio.fs.Globs");
    }

    /** The image's sha256 without the JDK's security providers (their set-up cost more than hashing a small image). */
    @Test
    void inspectHashesASmallImageWithoutTheSecurityProviders() {
        Shell.Result r = run(javaHome(), "inspect", image.toString()).assertSuccess();
        assertThat(r.stdout()).containsPattern("(?m)^sha256 +[0-9a-f]{64}$");
        assertThat(loaded(r)).doesNotContain("sun.security.jca.ProviderList", "java.security.Security");
    }

    /** validate compares systemd versions (records) without the method handles of a record's generated equals. */
    @Test
    void validateComparesNoRecords() {
        Shell.Result r = run(javaHome(), "validate", image.toString()).assertSuccess();
        assertThat(r.stdout()).contains("systemd-sysext").contains("accepted");
        assertThat(loaded(r)).doesNotContain("java.lang.runtime.ObjectMethods");
    }

    /**
     * A build of a directory compares records (its container selection with the whole image's before mksquashfs
     * starts, the early mksquashfs's inputs with the plan's while it compresses) without the method handles of a
     * record's generated equals, and looks up no source providers: every build paid for both, before mksquashfs
     * started (issue 17).
     */
    @Test
    void buildOfADirectoryComparesNoRecordsLooksUpNoProvidersAndSortsWithoutLambdas() throws IOException {
        Path tree = tmp.resolve("build-tree");
        Files.createDirectories(tree.resolve("usr/share/hello"));
        Files.writeString(tree.resolve("usr/share/hello/greeting"), "hello\n");
        Shell.Result r = run(javaHome(), "build", tree.toString(), "--name", "hello", "-o",
                tmp.resolve("hello.raw").toString(), "-q").assertSuccess();
        assertThat(tmp.resolve("hello.raw")).isNotEmptyFile();
        List<String> loaded = loaded(r);
        assertThat(loaded).as("mksquashfs read the directory itself").contains("dev.sysextctl.builder.write.DirectSquashfs");
        assertThat(loaded).doesNotContain("java.lang.runtime.ObjectMethods",
                // the look-up of the providers registered in the jar reads its whole index (SourceFactory)
                "java.util.ServiceLoader", "dev.sysextctl.converter.TorcxImageSourceProvider");
        // the plan sorts its entries with a comparator class (a Comparator.comparing lambda is spun at run time)
        assertThat(loaded).noneMatch(c -> c.startsWith("java.util.Comparator$$Lambda"));
    }

    /** Java 21 and later: a run that succeeds ends without {@link Runtime#exit} and its logger look-up. */
    @Test
    void aSuccessfulRunLooksUpNoSystemLogger() throws IOException {
        Path jdk = jdk21();
        for (List<String> args : List.of(List.of("--version"), List.of("list", "--root", root.toString()),
                List.of("inspect", image.toString()))) {
            Shell.Result r = run(jdk, args.toArray(String[]::new)).assertSuccess();
            assertThat(loaded(r)).as("sysextctl %s on %s", args, jdk)
                    .doesNotContain("jdk.internal.logger.BootstrapLogger$DetectBackend");
        }
        // a failure still exits through System.exit with its code (a missing image: usage, 2)
        Shell.Result bad = run(jdk, "inspect", tmp.resolve("missing.raw").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("missing.raw does not exist");
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /** A JDK 21 or later under /usr/lib/jvm (Temurin 25 on the build machines). */
    private static Path jdk21() throws IOException {
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path home : homes.sorted().toList()) {
                Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(readOrEmpty(home.resolve("release")));
                if (m.find() && Integer.parseInt(m.group(1)) >= 21 && Files.isExecutable(home.resolve("bin/java"))) {
                    return home;
                }
            }
        }
        throw new AssertionError("no JDK 21 or later under /usr/lib/jvm (scripts/test installs Temurin 25)");
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<String> java(Path home, String... args) {
        List<String> argv = new ArrayList<>(List.of(home.resolve("bin/java").toString(), "-Xshare:off",
                "-Xlog:class+load=info", "-jar", Jar.path().toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    private Shell.Result run(Path home, String... args) {
        return Shell.run(java(home, args), Map.of("TZ", "UTC"), tmp, 120);
    }

    /** The names of the classes the run loaded. */
    private static List<String> loaded(Shell.Result r) {
        List<String> out = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            int at = line.indexOf("[class,load] ");
            if (at >= 0) {
                String rest = line.substring(at + "[class,load] ".length());
                int space = rest.indexOf(' ');
                out.add(space < 0 ? rest : rest.substring(0, space));
            }
        }
        assertThat(out).as("classes loaded").isNotEmpty();
        return out;
    }
}
