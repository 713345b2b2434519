package dev.sysextctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link DirectRuns}: every form it takes sets what picocli's parse sets, everything else goes to picocli, and the
 * runs it takes give the output and exit code of the same run through picocli, byte for byte.
 */
class DirectRunsTest {
    @TempDir
    Path root;

    @BeforeEach
    void node() throws Exception {
        NodeTrees.debianRoot(root);
        NodeTrees.directoryImage(root, "etc/extensions", "good", "ID=debian\nVERSION_ID=12\n");
        NodeTrees.directoryImage(root, "run/extensions", "other", "ID=fedora\n");
        Files.createDirectories(root.resolve("var/lib/extensions"));
        Files.writeString(root.resolve("var/lib/extensions/notes.txt"), "not an image\n");
    }

    /** The forms taken here, over both commands. */
    private List<String[]> taken() {
        String r = root.toString();
        List<String[]> forms = new ArrayList<>();
        for (String cmd : List.of("status", "list")) {
            forms.add(new String[] {cmd});
            forms.add(new String[] {cmd, "--root", r});
            forms.add(new String[] {cmd, "--root=" + r, "--json"});
            forms.add(new String[] {cmd, "--root", r, "--json", "short"});
            forms.add(new String[] {cmd, "--root", r, "--json", "OFF", "--no-legend"});
            forms.add(new String[] {cmd, "--json=Short", "--root", r});
            forms.add(new String[] {cmd, "--json", "--root", r, "-q"});
            forms.add(new String[] {cmd, "--root", r, "--class", "all", "--no-pager", "--no-color"});
            forms.add(new String[] {cmd, "--root", r, "--class=ConfExt", "--systemd-version=257"});
            forms.add(new String[] {cmd, "--root", r, "--systemd-version", "252", "-v", "--verbose", "-v"});
            forms.add(new String[] {cmd, "--quiet", "--root", r, "--systemd-version=x"});
            forms.add(new String[] {cmd, "--root", r + "/missing"});
            forms.add(new String[] {cmd, "--root="});
        }
        String image = root.resolve("etc/extensions/good").toString();
        forms.add(new String[] {"inspect", image});
        forms.add(new String[] {"inspect", "--files", image, "--json=short"});
        forms.add(new String[] {"inspect", "--json", image, "-v", "--no-color"});
        forms.add(new String[] {"inspect", image, "--json", "pretty", "--systemd-version", "257", "-q"});
        forms.add(new String[] {"inspect", "--systemd-version=255", image});
        forms.add(new String[] {"inspect", "--systemd-version=x", image});
        forms.add(new String[] {"inspect", root.resolve("missing.raw").toString()});
        for (String cmd : List.of("merge", "refresh", "unmerge")) {
            forms.add(new String[] {cmd, "--root", r, "--engine", "native", "--dry-run"});
            forms.add(new String[] {cmd, "--root=" + r, "--engine=SystemD", "--force", "--no-reload", "--no-stop",
                "--json=short", "-q"});
            forms.add(new String[] {cmd, "--class", "all", "--image-policy", "usr=verity", "-v", "--root", r});
        }
        String other = root.resolve("run/extensions/other").toString();
        forms.add(new String[] {"validate", image});
        forms.add(new String[] {"validate", image, other, "--root", r, "--json=short"});
        forms.add(new String[] {"validate", "--os=fedora", "--os-version", "40", image, "--arch=arm64", "-v"});
        forms.add(new String[] {"validate", "--sysext-level=2", "--confext-level", "3", "--scope=initrd", image});
        forms.add(new String[] {"validate", "--class", "SysExt", "--as=renamed", "--systemd-version=257", image});
        forms.add(new String[] {"validate", "--os-release", r + "/etc/os-release", "--image-policy=usr=verity",
            image, "--trusted-certs", r, "--trusted-certs=" + r + "/etc", "-q"});
        forms.add(new String[] {"validate", "--as", "x", image, other});
        forms.add(new String[] {"validate", root.resolve("missing.raw").toString(), "--no-color"});
        String tree = root.resolve("etc/extensions/good").toString();
        String out = root.resolve("built.raw").toString();
        forms.add(new String[] {"build", tree, "--name", "hello", "-o", out, "--force"});
        forms.add(new String[] {"build", "--name=hello", "--output=" + out, tree, "--force", "--os", "debian",
            "--os-version=12", "--arch", "x86-64", "--json=short"});
        forms.add(new String[] {"build", tree, "--name", "hello", "-o", out, "--force", "--version=1.2", "--set", "A=1",
            "--set=B=2", "--level", "2", "--scope", "system", "--compression", "gzip", "--source-date-epoch", "0",
            "--strict", "--keep-ownership", "-q", "--reload-manager"});
        forms.add(new String[] {"build", tree, "--name", "hello", "-o", out, "--force", "--image-version=2",
            "--target-os-release", r + "/etc/os-release", "--report", root.resolve("report.json").toString(), "-v"});
        forms.add(new String[] {"build", "--name", "x"});
        forms.add(new String[] {"build", tree, "-o", out, "--base", "b", "--layers=1-2", "--include", "usr/x"});
        forms.add(new String[] {"build", tree, "--name", "hello", "-o", out, "--force", "--class=confext"});
        return forms;
    }

    @Test
    void everyFormTakenHereSetsWhatPicocliSets() {
        for (String[] args : taken()) {
            String what = String.join(" ", args);
            DirectRuns.Parsed direct = DirectRuns.parse(args);
            assertThat(direct).as(what).isNotNull();
            CommandLine cl = SysextctlCommand.newCommandLine(args);
            CommandLine.ParseResult pr = cl.parseArgs(args);
            Object picocli = pr.subcommand().commandSpec().userObject();
            assertThat(direct.command().getClass()).as(what).isEqualTo(picocli.getClass());
            // every option the command has, by its picocli model: one added later and not taken here would have its
            // default on both sides only if DirectRuns sent its forms to picocli
            assertThat(values(CommandLine.Model.CommandSpec.forAnnotatedObject(direct.command()))).as(what)
                    .isEqualTo(values(pr.subcommand().commandSpec()));
            if (picocli instanceof BuildCommand b) {
                BuildCommand d = (BuildCommand) direct.command();
                assertThat(List.of(d.sources.toString(), d.output.verbosity(), d.jsonOption.mode)).as(what)
                        .isEqualTo(List.of(b.sources.toString(), b.output.verbosity(), b.jsonOption.mode));
                continue;
            }
            if (picocli instanceof MergeActionCommand) {
                continue; // every option of theirs is in the model: compared above
            }
            if (picocli instanceof NodeCommand n) {
                JsonOption json = (JsonOption) pr.subcommand().commandSpec().mixins().get("jsonOption").userObject();
                TableOptions table = (TableOptions) pr.subcommand().commandSpec().mixins().get("table").userObject();
                NodeCommand d = (NodeCommand) direct.command();
                assertThat(settings(d, direct.json(), table(d))).as(what).isEqualTo(settings(n, json, table));
            } else if (picocli instanceof ValidateCommand v) {
                ValidateCommand d = (ValidateCommand) direct.command();
                assertThat(List.of(d.images.toString(), d.trustedCerts.toString(), d.output.verbosity(),
                        d.jsonOption.mode)).as(what).isEqualTo(List.of(v.images.toString(), v.trustedCerts.toString(),
                                v.output.verbosity(), v.jsonOption.mode));
            } else {
                InspectCommand d = (InspectCommand) direct.command();
                InspectCommand i = (InspectCommand) picocli;
                assertThat(List.of(String.valueOf(d.image), d.files, String.valueOf(d.systemdVersion),
                        d.output.verbosity(), d.output.noColor, d.jsonOption.mode)).as(what)
                        .isEqualTo(List.of(String.valueOf(i.image), i.files, String.valueOf(i.systemdVersion),
                                i.output.verbosity(), i.output.noColor, i.jsonOption.mode));
            }
        }
        assertThat(DirectRuns.parse(new String[] {"build", "t", "--format=ddi", "--fs", "erofs", "--unknown-here"}))
                .as("an unknown option among them").isNull();
        String[] ddi = {"build", "t", "--format=ddi", "--fs", "erofs", "--sign-key", "k.pem", "--certificate=c.pem",
            "--seed", "0a1b2c3d-0000-4000-8000-000000000000", "--sysext-level=3"};
        DirectRuns.Parsed parsedDdi = DirectRuns.parse(ddi);
        CommandLine.ParseResult prDdi = SysextctlCommand.newCommandLine(ddi).parseArgs(ddi);
        assertThat(values(CommandLine.Model.CommandSpec.forAnnotatedObject(parsedDdi.command())))
                .isEqualTo(values(prDdi.subcommand().commandSpec()));
        DirectRuns.Parsed none = DirectRuns.parse(new String[0]);
        assertThat(none.command()).isInstanceOf(StatusCommand.class);
        assertThat(settings((NodeCommand) none.command(), none.json(), table((NodeCommand) none.command())))
                .isEqualTo("root=/ version=null class=SYSEXT verbosity=0 quiet=false noColor=false json=OFF "
                        + "noLegend=false noPager=false");
    }

    private static TableOptions table(NodeCommand c) {
        return c instanceof ListCommand l ? l.table : ((StatusCommand) c).table;
    }

    /** Every option's value in {@code spec}, by its longest name (arrays by their elements). */
    private static java.util.Map<String, String> values(CommandLine.Model.CommandSpec spec) {
        java.util.Map<String, String> values = new java.util.TreeMap<>();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            Object v = o.getValue();
            values.put(o.longestName(), v instanceof boolean[] b ? java.util.Arrays.toString(b) : String.valueOf(v));
        }
        return values;
    }

    private static String settings(NodeCommand c, JsonOption json, TableOptions table) {
        return "root=" + c.node.root + " version=" + c.node.systemdVersion + " class=" + c.node.classes
                + " verbosity=" + c.output.verbosity() + " quiet=" + c.output.quiet + " noColor=" + c.output.noColor
                + " json=" + json.mode + " noLegend=" + table.noLegend + " noPager=" + table.noPager;
    }

    @Test
    void everythingElseGoesToPicocli() {
        String r = root.toString();
        List<String[]> others = List.of(
                new String[] {"--version"}, new String[] {"-h"},
                new String[] {"--root", r}, new String[] {"list", "--help"}, new String[] {"status", "-V"},
                new String[] {"list", "--root", r, "--root", r}, new String[] {"list", "--no-legend", "--no-legend"},
                new String[] {"list", "-q", "--quiet"}, new String[] {"list", "--json", "--json"},
                new String[] {"list", "--root"}, new String[] {"list", "--root", "--json"},
                new String[] {"list", "--root", "-x"}, new String[] {"list", "--json=bogus"},
                new String[] {"list", "--json="}, new String[] {"list", "--class", "bogus"},
                new String[] {"list", "--class=sysext,confext"}, new String[] {"list", "--no-legend=true"},
                new String[] {"list", "--verbose=1"}, new String[] {"list", "-vv"}, new String[] {"list", "-qv"},
                new String[] {"list", "@args"}, new String[] {"list", "--root", "@dir"}, new String[] {"list", "--"},
                new String[] {"list", "-"}, new String[] {"list", "extra"}, new String[] {"list", "--rot", r},
                new String[] {"list", "--root", "nul\0byte"}, new String[] {"lsit"}, new String[] {"help", "list"},
                new String[] {"list", "--files"}, new String[] {"inspect"}, new String[] {"inspect", "a", "b"},
                new String[] {"inspect", "a", "--root", r}, new String[] {"inspect", "a", "--no-legend"},
                new String[] {"inspect", "a", "--class", "all"}, new String[] {"inspect", "-"},
                new String[] {"inspect", "--files", "--files", "a"}, new String[] {"inspect", "--json", "short"},
                new String[] {"inspect", "nul\0byte"}, new String[] {"inspect", "--", "a"},
                new String[] {"inspect", "a", "--systemd-version"}, new String[] {"validate"},
                new String[] {"validate", "a", "--os", "x", "--os", "y"}, new String[] {"validate", "a", "--class=x"},
                new String[] {"validate", "a", "--files"}, new String[] {"validate", "a", "--no-legend"},
                new String[] {"validate", "a", "--trusted-certs"}, new String[] {"validate", "a", "--root", "-q"},
                new String[] {"validate", "--os-release=nul\0byte", "a"}, new String[] {"validate", "a", "--os"},
                new String[] {"compose", "a"}, new String[] {"merge", "--engine", "bogus"},
                new String[] {"merge", "--no-legend"}, new String[] {"unmerge", "--force", "--force"},
                new String[] {"refresh", "--dry-run=true"}, new String[] {"list", "--engine", "native"},
                new String[] {"status", "--force"}, new String[] {"merge", "x"},
                new String[] {"build", "t", "--version", "1"}, new String[] {"build", "t", "--image-version", "1"},
                new String[] {"build", "-"}, new String[] {"build", "t", "-ofile"}, new String[] {"build", "t", "--version"},
                new String[] {"build", "t", "--level=1", "--sysext-level=2"},
                new String[] {"build", "t", "--version=1", "--image-version=2"},
                new String[] {"build", "t", "--output=a", "-o", "b"}, new String[] {"build", "t", "--source-date-epoch=x"},
                new String[] {"build", "t", "--compression=bogus"}, new String[] {"build", "t", "-V"},
                new String[] {"build", "t", "-h"}, new String[] {"build", "t", "--format=bogus"},
                new String[] {"build", "t", "--fs=ext4"}, new String[] {"build", "t", "--class", "x"},
                new String[] {"build", "t", "--name"}, new String[] {"build", "t", "--force=yes"});
        for (String[] args : others) {
            assertThat(DirectRuns.parse(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void theRunsTakenHereGiveTheOutputAndExitCodeOfTheSameRunThroughPicocli() throws Exception {
        int checked = 0;
        int inspected = 0;
        for (String[] args : taken()) {
            if (args.length == 1 || List.of("merge", "refresh", "unmerge").contains(args[0])) {
                continue; // the machine's own node; merges mount (their refusals are compared below)
            }
            if (args[0].equals("inspect") || args[0].equals("validate") || args[0].equals("build")) {
                inspected++;
            }
            Captured direct = capture(() -> DirectRuns.run(args).orElseThrow());
            Captured picocli = capture(() -> SysextctlCommand.newCommandLine(args).execute(args));
            assertThat(direct).as(String.join(" ", args)).isEqualTo(picocli);
            checked++;
        }
        assertThat(checked).isGreaterThan(25);
        assertThat(inspected).isEqualTo(22);
        for (String[] args : List.of(new String[] {"merge", "--root", root.resolve("missing").toString()},
                new String[] {"refresh", "--root", root.toString(), "--image-policy=bogus", "--engine", "native"},
                new String[] {"unmerge", "--root", root.toString(), "--systemd-version", "x", "--json"})) {
            Captured direct = capture(() -> DirectRuns.run(args).orElseThrow());
            Captured picocli = capture(() -> SysextctlCommand.newCommandLine(args).execute(args));
            assertThat(direct).as(String.join(" ", args)).isEqualTo(picocli);
            assertThat(direct.exit()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        }
        String[] badVersion = {"list", "--root", root.toString(), "--systemd-version=x"};
        Captured bad = capture(() -> DirectRuns.run(badVersion).orElseThrow());
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).startsWith("sysextctl: invalid --systemd-version 'x'").hasLineCount(1);
        Captured listed = capture(() -> DirectRuns.run(new String[] {"list", "--root", root.toString()})
                .orElseThrow());
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("good ").contains("other ").contains("2 images listed.");
    }

    @Test
    void theSystemPropertySendsEveryRunToPicocli() {
        String[] args = {"list", "--root", root.toString()};
        System.setProperty(DirectRuns.PROPERTY, "false");
        try {
            assertThat(DirectRuns.run(args)).isEqualTo(OptionalInt.empty());
        } finally {
            System.clearProperty(DirectRuns.PROPERTY);
        }
    }

    record Captured(int exit, String out, String err) {
    }

    interface Run {
        int run() throws Exception;
    }

    private static Captured capture(Run run) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = run.run();
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out);
            System.setErr(err);
        }
        return new Captured(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }
}
