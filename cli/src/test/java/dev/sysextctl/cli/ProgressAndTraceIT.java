package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.converter.fixtures.TorcxFixtures;
import dev.sysextctl.testing.Requires;
import dev.sysextctl.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real builds, conversions and releases: the live progress line on a terminal's stderr (drawn with {@code \r},
 * cleared at the end) and its suppression with {@code -q}, {@code --json} and when stderr is not a terminal; and
 * {@code -vv} printing the native tools' command lines. The terminal is injected ({@link Terminal#detector}) and the
 * progress clock advances a quarter second per reading, so that every entry redraws; {@link #aRealPseudoTerminal}
 * runs the jar under {@code script}, a real pseudo-terminal.
 */
@Requires(tools = {"mksquashfs", "unsquashfs", "script"})
class ProgressAndTraceIT {
    @TempDir
    Path tmp;
    Path tree;
    private Supplier<Terminal> detector;
    private LongSupplier clock;

    @BeforeEach
    void tree() throws Exception {
        detector = Terminal.detector;
        clock = RunOutput.clock;
        AtomicLong now = new AtomicLong();
        RunOutput.clock = () -> now.addAndGet(250_000_000L);
        tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("usr/bin"));
        for (int i = 0; i < 5; i++) {
            Files.write(tree.resolve("usr/bin/tool" + i), new byte[100_000 + i]);
        }
    }

    @AfterEach
    void restore() {
        Terminal.detector = detector;
        RunOutput.clock = clock;
    }

    private static void stderrIsATerminal(boolean terminal) {
        Terminal.detector = () -> terminal ? new Terminal(true, 100) : Terminal.NONE;
    }

    private Cli.Run build(String name, String... more) {
        String[] args = new String[5 + more.length];
        args[0] = "build";
        args[1] = tree.toString();
        args[2] = "--name";
        args[3] = name;
        args[4] = "-o=" + tmp.resolve(name + ".raw");
        System.arraycopy(more, 0, args, 5, more.length);
        Cli.Run r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void aBuildOnATerminalShowsItsProgressAndClearsIt() {
        stderrIsATerminal(true);
        Cli.Run r = build("hello");
        assertThat(r.err()).contains("\rwriting hello.raw: ", " KiB, ", "/s")
                .contains("\rchecksumming hello.raw: ");
        // cleared before the findings: each line of stderr after the last \r is a whole finding
        String afterProgress = r.err().substring(r.err().lastIndexOf('\r') + 1);
        assertThat(afterProgress).startsWith("warning[any-without-arch]");
        assertThat(r.out()).doesNotContain("\r");
    }

    @Test
    void noProgressWithQuiet() {
        stderrIsATerminal(true);
        assertThat(build("quiet", "-q").err()).isEmpty();
    }

    @Test
    void noProgressWithJson() {
        stderrIsATerminal(true);
        Cli.Run r = build("json", "--json");
        assertThat(r.err()).doesNotContain("\r").doesNotContain("writing");
        assertThat(r.out()).doesNotContain("\r");
    }

    @Test
    void noProgressWhenStderrIsNotATerminal() {
        stderrIsATerminal(false);
        assertThat(build("pipe").err()).doesNotContain("\r").doesNotContain("writing");
    }

    @Test
    void aConversionAndAReleaseShowTheirSteps() throws Exception {
        stderrIsATerminal(true);
        Path archive = TorcxFixtures.f1(tmp);
        Cli.Run c = Cli.run("convert", "torcx-image", archive.toString(), "-o", tmp.resolve("docker.raw").toString());
        assertThat(c.exit()).as(c.toString()).isZero();
        assertThat(c.err()).contains("\runpacking " + archive.getFileName() + ": ").contains("\rwriting docker.raw: ");
        Path image = tmp.resolve("hello-1.0-x86-64.raw");
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "hello", "--image-version", "1.0", "--arch", "x86-64",
                "-o", image.toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        Cli.Run rel = Cli.run("release", image.toString(), "-o", tmp.resolve("site").toString(), "--base-url",
                "https://example.com/sysext");
        assertThat(rel.exit()).as(rel.toString()).isZero();
        assertThat(rel.err()).contains("\rreading hello-1.0-x86-64.raw: ", "\rcopying hello-1.0-x86-64.raw: ");
        Cli.Run quiet = Cli.run("release", image.toString(), "-o", tmp.resolve("site2").toString(), "--base-url",
                "https://example.com/sysext", "-q");
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void veryVerboseShowsTheMksquashfsCommandLine() {
        stderrIsATerminal(false);
        Cli.Run vv = build("traced", "-vv");
        assertThat(vv.err()).containsPattern("(?m)^\\+ mksquashfs \\S+ \\S+ -noappend .*-comp zstd .*-pf .*$");
        Cli.Run v = build("verbose", "-v");
        assertThat(v.err()).doesNotContain("+ mksquashfs");
        Cli.Run plain = build("plain");
        assertThat(plain.err()).doesNotContain("+ mksquashfs");
    }

    @Test
    void aRealPseudoTerminal() throws Exception {
        // script gives the jar a pseudo-terminal as stdin, stdout and stderr; its output is the terminal's.
        Path big = tmp.resolve("big");
        Files.createDirectories(big.resolve("usr/lib"));
        Shell.shOk("head -c 48000000 /dev/urandom > '" + big.resolve("usr/lib/blob") + "'");
        String cmd = "java -jar '" + Jar.path() + "' build '" + big + "' --name big --compression xz -o '"
                + tmp.resolve("big.raw") + "'";
        Shell.Result tty = Shell.run(java.util.List.of("script", "-qec", cmd, "/dev/null"), java.util.Map.of(), tmp,
                600);
        assertThat(tty.exitCode()).as(tty.stdout() + tty.stderr()).isZero();
        assertThat(tty.stdout()).contains("\rwriting big.raw: ").contains("/s");
        Shell.Result piped = Shell.run(java.util.List.of("sh", "-c", "java -jar '" + Jar.path() + "' build '" + tree
                + "' --name small -o '" + tmp.resolve("small.raw") + "'"), java.util.Map.of(), tmp, 600);
        assertThat(piped.exitCode()).as(piped.stderr()).isZero();
        assertThat(piped.stderr()).doesNotContain("\r");
    }
}
