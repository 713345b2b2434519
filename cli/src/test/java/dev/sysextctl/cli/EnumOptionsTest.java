package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.core.tools.Compression;
import dev.sysextctl.merger.engine.EngineKind;
import dev.sysextctl.provision.ignition.IgnitionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * {@code --format}, {@code --compression}, {@code --engine} and {@code --ignition-version} are typed by the
 * library's enums: every spelling accepted before (any case, surrounding blanks) parses to its constant, a wrong
 * value is one usage line naming the valid values (exit 2), and help and completion offer the values.
 */
class EnumOptionsTest {
    /** The value picocli parsed for {@code option} of the subcommand in {@code args}. */
    private static Object parsed(String option, String... args) {
        ParseResult r = SysextctlCommand.newCommandLine(args).parseArgs(args);
        while (r.hasSubcommand()) {
            r = r.subcommand();
        }
        return r.matchedOptionValue(option, null);
    }

    @Test
    void everyFormatParsesInAnyCase() {
        for (BuildFormat f : BuildFormat.values()) {
            for (String typed : List.of(f.cliName(), f.cliName().toUpperCase(), " " + f.cliName() + " ")) {
                assertThat(parsed("--format", "build", "src", "--name", "x", "--format", typed)).as(typed)
                        .isEqualTo(f);
                assertThat(parsed("--format", "convert", "torcx-image", "a.torcx.tgz", "--format", typed)).as(typed)
                        .isEqualTo(f);
                assertThat(parsed("--format", "convert", "torcx-profile", "--format", typed)).as(typed).isEqualTo(f);
            }
        }
    }

    @Test
    void everyCompressionParsesInAnyCaseLz4hcIncluded() {
        List<String> typed = new ArrayList<>();
        for (Compression c : Compression.values()) {
            typed.add(c.cliName());
            assertThat(parsed("--compression", "build", "src", "--name", "x", "--compression", c.cliName()))
                    .isEqualTo(c);
            assertThat(parsed("--compression", "build", "src", "--name", "x", "--compression",
                    c.cliName().toUpperCase())).isEqualTo(c);
        }
        assertThat(typed).containsExactly("zstd", "xz", "gzip", "lz4", "lz4hc", "lzo", "none");
    }

    @Test
    void everyEngineParsesOnEveryNodeCommand() {
        for (EngineKind e : EngineKind.values()) {
            for (String verb : List.of("merge", "unmerge", "refresh")) {
                assertThat(parsed("--engine", verb, "--engine", e.jsonName())).isEqualTo(e);
            }
            assertThat(parsed("--engine", "enable", "x.raw", "--now", "--engine", e.name())).isEqualTo(e);
        }
    }

    @Test
    void everyIgnitionVersionParses() {
        for (IgnitionSpec s : IgnitionSpec.values()) {
            assertThat(parsed("--ignition-version", "ignition", "x.raw", "--ignition-version", s.version()))
                    .isEqualTo(s);
        }
    }

    @Test
    void aWrongValueIsOneUsageLineNamingTheValidValues() {
        List<List<String>> cases = List.of(
                List.of("build", "src", "--name", "x", "--format", "zip", "squashfs, erofs, directory or ddi"),
                List.of("convert", "torcx-image", "a.torcx.tgz", "--format", "dir", "squashfs, erofs, directory or ddi"),
                List.of("build", "src", "--name", "x", "--compression", "brotli",
                        "zstd, xz, gzip, lz4, lz4hc, lzo, none"),
                List.of("merge", "--engine", "podman", "auto, systemd or native"),
                List.of("enable", "x.raw", "--now", "--engine", "docker", "auto, systemd or native"),
                List.of("ignition", "x.raw", "--ignition-version", "3.5.0", "3.4.0 (Flatcar 3602+) or 3.3.0"));
        for (List<String> c : cases) {
            String[] args = c.subList(0, c.size() - 1).toArray(String[]::new);
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isEqualTo(2);
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).startsWith("sysextctl: ").contains("'" + args[args.length - 1] + "'")
                    .contains(c.get(c.size() - 1)).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void helpListsTheValues() {
        assertThat(Cli.run("build", "--help").out()).contains("squashfs, erofs, directory, ddi")
                .contains("zstd, xz, gzip, lz4, lz4hc, lzo, none");
        assertThat(Cli.run("merge", "--help").out()).contains("auto, systemd, native");
        assertThat(Cli.run("ignition", "--help").out()).contains("3.3.0, 3.4.0");
    }

    @Test
    void theBashCompletionOffersTheValues() {
        Cli.Run r = Cli.run("completion", "bash");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(\"squashfs\" \"erofs\" \"directory\" \"ddi\")")
                .contains("(\"erofs\" \"squashfs\")")
                .contains("(\"zstd\" \"xz\" \"gzip\" \"lz4\" \"lz4hc\" \"lzo\" \"none\")")
                .contains("(\"auto\" \"systemd\" \"native\")")
                .contains("(\"3.3.0\" \"3.4.0\")");
        assertThat(Arrays.stream(r.out().split("\n")).filter(l -> l.contains("\"SQUASHFS\"")).toList()).isEmpty();
    }
}
