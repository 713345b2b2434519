package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * systemd's conventions (issue 14): --json=pretty|short|off, table legends and --no-legend/--no-pager, no verb is
 * status, help [COMMAND], suggestions for mistyped commands and options, -q, human sizes, repeated findings
 * collapsed. In-process, no native tool.
 */
class ConventionsTest {
    @TempDir
    Path tmp;
    Path root;
    Path tree;

    @BeforeEach
    void node() throws Exception {
        root = NodeTrees.debianRoot(tmp.resolve("root"));
        for (String name : new String[] {"one", "two"}) {
            NodeTrees.directoryImage(root, "var/lib/extensions", name, "ID=debian\nVERSION_ID=12\n");
        }
        tree = NodeTrees.helloTree(tmp.resolve("tree"));
    }

    @Test
    void jsonTakesPrettyShortAndOff() {
        Cli.Run pretty = Cli.run("list", "--root", root.toString(), "--json");
        assertThat(pretty.exit()).as(pretty.toString()).isZero();
        assertThat(pretty.out().strip().lines().count()).isGreaterThan(5);
        Cli.Run explicit = Cli.run("list", "--root", root.toString(), "--json=pretty");
        assertThat(explicit.out()).isEqualTo(pretty.out());
        Cli.Run shortForm = Cli.run("list", "--root", root.toString(), "--json=short");
        assertThat(shortForm.exit()).as(shortForm.toString()).isZero();
        assertThat(shortForm.out().strip().lines().count()).isEqualTo(1);
        assertThat(shortForm.out().strip()).startsWith("{\"").doesNotContain("\" : ");
        assertThat(JsonOption.compact(pretty.out().strip())).isEqualTo(shortForm.out().strip());
        Cli.Run off = Cli.run("list", "--root", root.toString(), "--json=off");
        assertThat(off.out()).startsWith("NAME");
        Cli.Run status = Cli.run("status", "--root", root.toString(), "--json=short");
        assertThat(status.out().strip().lines().count()).as(status.toString()).isEqualTo(1);
        assertThat(Cli.run("list", "--root", root.toString(), "--json=long").exit()).isEqualTo(2);
        Cli.Run beforePositional = Cli.run("inspect", "--json", root.resolve("var/lib/extensions/one").toString());
        assertThat(beforePositional.exit()).as("--json IMAGE: IMAGE is not a mode " + beforePositional).isZero();
        assertThat(beforePositional.out()).startsWith("{\n");
    }

    @Test
    void compactKeepsWhitespaceInsideStrings() {
        assertThat(JsonOption.compact("{\n  \"a b\" : \"c \\\" d\",\n  \"e\" : [ 1, 2 ]\n}"))
                .isEqualTo("{\"a b\":\"c \\\" d\",\"e\":[1,2]}");
    }

    @Test
    void tablesEndWithALegendThatNoLegendDrops() {
        Cli.Run list = Cli.run("list", "--root", root.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).startsWith("NAME").contains("\n2 images listed.\n");
        Cli.Run bare = Cli.run("list", "--root", root.toString(), "--no-legend", "--no-pager");
        assertThat(bare.exit()).as(bare.toString()).isZero();
        assertThat(bare.out()).startsWith("NAME").doesNotContain("listed.");
        Cli.Run status = Cli.run("status", "--root", root.toString());
        assertThat(status.out()).startsWith("HIERARCHY").contains("listed, 0 merged.");
        assertThat(Cli.run("status", "--root", root.toString(), "--no-legend").out()).doesNotContain("listed");
    }

    @Test
    void noVerbShowsStatus() {
        Cli.Run r = Cli.run();
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("HIERARCHY");
    }

    @Test
    void helpCommandShowsTheCommandsHelp() {
        Cli.Run help = Cli.run("help", "build");
        assertThat(help.exit()).as(help.toString()).isZero();
        assertThat(help.out()).isEqualTo(Cli.run("build", "--help").out());
        Cli.Run top = Cli.run("help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("Usage: sysextctl", "  build ", "  completion ");
    }

    @Test
    void mistypedCommandsAndOptionsGetASuggestion() {
        Cli.Run cmd = Cli.run("biuld", "x");
        assertThat(cmd.exit()).isEqualTo(2);
        assertThat(cmd.errLines()).containsExactly("sysextctl: unknown command 'biuld'; did you mean 'build'?");
        Cli.Run opt = Cli.run("build", tree.toString(), "--forse");
        assertThat(opt.exit()).isEqualTo(2);
        assertThat(opt.errLines()).hasSize(1);
        assertThat(opt.errLines().get(0)).startsWith("sysextctl: unknown option '--forse'; did you mean ")
                .contains("'--force'");
    }

    @Test
    void aMistypeWithoutACommonPrefixGetsASuggestionToo() {
        Cli.Run opt = Cli.run("build", tree.toString(), "--frce");
        assertThat(opt.exit()).isEqualTo(2);
        assertThat(opt.errLines()).containsExactly("sysextctl: unknown option '--frce'; did you mean '--force'?");
        Cli.Run swapped = Cli.run("build", tree.toString(), "--nmae", "x");
        assertThat(swapped.errLines()).containsExactly("sysextctl: unknown option '--nmae'; did you mean '--name'?");
        Cli.Run cmd = Cli.run("lsit");
        assertThat(cmd.exit()).isEqualTo(2);
        assertThat(cmd.errLines()).containsExactly("sysextctl: unknown command 'lsit'; did you mean 'list'?");
        Cli.Run far = Cli.run("build", tree.toString(), "--zzzzzz");
        assertThat(far.errLines()).containsExactly("sysextctl: unknown option '--zzzzzz'; see 'sysextctl build --help'");
    }

    @Test
    void quietSilencesInspectAndWarnings() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.createSymbolicLink(tree.resolve("usr/bin/l" + i), Path.of("/etc/x" + i));
        }
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "h", "--format", "directory", "-o",
                tmp.resolve("h").toString(), "-q");
        assertThat(b.exit()).as(b.toString()).isZero();
        assertThat(b.out()).isEmpty();
        assertThat(b.err()).isEmpty();
        Cli.Run i = Cli.run("inspect", tmp.resolve("h").toString(), "-q");
        assertThat(i.exit()).as(i.toString()).isZero();
        assertThat(i.out()).isEmpty();
        assertThat(i.err()).isEmpty();
    }

    @Test
    void aFindingOnManyPathsIsOneLineUnlessVerbose() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.createSymbolicLink(tree.resolve("usr/bin/l" + i), Path.of("/etc/x" + i));
        }
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "h", "--format", "directory", "-o",
                tmp.resolve("h").toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        assertThat(b.errLines().stream().filter(l -> l.contains("absolute-symlink"))).singleElement().asString()
                .contains("5 paths, e.g. usr/bin/l0, usr/bin/l1, usr/bin/l2; see --json or -v for all");
        Cli.Run v = Cli.run("build", tree.toString(), "--name", "h", "--format", "directory", "-o",
                tmp.resolve("h2").toString(), "-v");
        assertThat(v.errLines().stream().filter(l -> l.contains("absolute-symlink"))).hasSize(5);
        Cli.Run i = Cli.run("inspect", tmp.resolve("h").toString());
        assertThat(i.out().lines().filter(l -> l.contains("absolute-symlink"))).hasSize(1);
    }

    @Test
    void sizesAreHumanInHumanOutputAndBytesInJson() {
        assertThat(Console.humanSize(1023)).isEqualTo("1023 B");
        assertThat(Console.humanSize(4096)).isEqualTo("4.0 KiB");
        assertThat(Console.humanSize(132_754_227)).isEqualTo("126.6 MiB");
        Cli.Run b = Cli.run("build", tree.toString(), "--name", "h", "--format", "directory", "-o",
                tmp.resolve("h").toString());
        assertThat(b.out()).containsPattern(": directory \\([^)]*\\), [0-9.]+ (B|KiB), ");
    }
}
