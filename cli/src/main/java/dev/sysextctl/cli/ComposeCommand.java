package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.composer.ComposeReport;
import dev.sysextctl.composer.ComposeRequest;
import dev.sysextctl.composer.ComposedLayer;
import dev.sysextctl.composer.Composer;
import dev.sysextctl.composer.Conflict;
import dev.sysextctl.composer.PathChange;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sysextctl compose BASE EXTENSION... -o IMAGE}: one image of a base /usr merged with extensions. */
@Command(name = "compose", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Compose one image of a base /usr (and /opt) merged with extensions, as systemd-sysext 252",
            "shows the merge: extensions checked against the base's os-release as validate checks them, layered",
            "by name (the last on top), a file or symlink of an upper layer hiding the lower entry, directories",
            "merged. Prints which extension adds or overrides which paths, and the conflicts between them."},
        footer = {"", "BASE is a directory, squashfs or erofs image whose top holds usr/ (and maybe opt/); the",
            "extensions' extension-release files stay in the result, systemd's .systemd-sysext marker does not.",
            "", "Examples:",
            "  sysextctl compose flatcar-usr.raw docker.raw tools.raw -o composed-usr.raw",
            "  sysextctl compose rootfs/ app.raw --format directory -o merged/ --json",
            "  sysextctl compose usr.raw other-os.raw --os-release target/os-release --force -o out.raw", "",
            "Exit codes: 0 composed, 1 a tool or I/O failed (an image unreadable), 2 usage error, 3 an extension",
            "refused by the compatibility rules (--force composes it anyway)."})
public final class ComposeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Parameters(index = "0", paramLabel = "BASE", description = "The base: a tree or image holding usr/.")
    Path base;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "EXTENSION", description = "Extension images "
            + "(squashfs, erofs, directories), in any order.")
    List<Path> extensions = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "IMAGE", required = true, description = "The image to write.")
    Path out;

    @Option(names = "--format", paramLabel = "F", converter = EnumValues.Formats.class,
            completionCandidates = EnumValues.Formats.class,
            description = "${COMPLETION-CANDIDATES} (default: squashfs; any case).")
    BuildFormat format = BuildFormat.SQUASHFS;

    @Option(names = "--os-release", paramLabel = "FILE", description = "Check the extensions against this "
            + "os-release (default: the base's).")
    Path osRelease;

    @Option(names = "--force", description = "Compose incompatible extensions too, as merge --force; replace an "
            + "existing output.")
    boolean force;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        ComposeReport r = new Composer(NativeTools.system()).compose(new ComposeRequest(base, extensions, out,
                format, osRelease, force));
        if (jsonOption.on()) {
            console.json(Json.write(r));
            console.flush();
            return ExitCodes.OK;
        }
        console.println("composed " + r.output() + " (" + r.format() + ", " + r.entries() + " entries, sha256 "
                + r.sha256() + ")");
        console.println("target: " + r.target());
        console.println("layers, bottom first:");
        for (ComposedLayer l : r.layers()) {
            console.println("  " + l.name() + "  " + l.image() + "  " + String.join(",", l.hierarchies())
                    + (l.rule() == null ? "" : "  [" + l.rule() + "]"));
        }
        if (!r.changes().isEmpty()) {
            int width = r.changes().stream().mapToInt(c -> c.layer().length()).max().orElse(9);
            console.println(String.format("%-" + width + "s  %-21s  %s", "EXTENSION", "CHANGE", "PATH"));
            for (PathChange c : r.changes()) {
                console.println(String.format("%-" + width + "s  %-21s  %s", c.layer(), c.change(), c.path()
                        + (c.hidden().isEmpty() ? "" : "  (hides " + String.join(", ", c.hidden()) + ")")));
            }
        }
        for (Conflict c : r.conflicts()) {
            console.println(console.yellow("conflict") + ": " + c.path() + " is in " + String.join(", ", c.losers())
                    + " and " + c.winner() + "; " + c.winner() + " is the upper layer and wins");
        }
        r.notes().forEach(console::println);
        console.flush();
        return ExitCodes.OK;
    }
}
