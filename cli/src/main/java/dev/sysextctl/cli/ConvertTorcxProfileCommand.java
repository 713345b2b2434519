package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.build.BuilderImageWriter;
import dev.sysextctl.converter.migration.MigrationRequest;
import dev.sysextctl.converter.migration.MigrationResult;
import dev.sysextctl.converter.migration.ProfileMigration;
import dev.sysextctl.converter.profile.ProfileRequest;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
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
import picocli.CommandLine.Spec;

/** {@code sysextctl convert torcx-profile}: a node's torcx profile set → a sysext set, a report, leftovers. */
@Command(name = "torcx-profile", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Convert a node's torcx profile set into sysext images.", "",
            "Resolves the set exactly as torcx did at boot (vendor/oem lower profiles, next-profile, the merge rules, "
                    + "versioned stores, .squashfs before .tgz), converts every image into "
                    + "OUTDIR/NAME-REFERENCE-ARCH.raw, and writes OUTDIR/migration.json and migration.txt: what was "
                    + "converted, what could not be, and the node-side leftovers that break once torcx is gone."},
        footer = {"", "Examples:",
            "  sysextctl convert torcx-profile -o /var/tmp/sysexts           (on the node)",
            "  sysextctl convert torcx-profile --root /mnt/node -o out --enable",
            "", "Exit codes: 0 every image converted, 1 an image is missing or failed, 2 usage error, 3 an image was "
                    + "refused."})
public final class ConvertTorcxProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Option(names = "--root", paramLabel = "DIR", description = "The node's root (default: /).")
    Path root = Path.of("/");

    @Option(names = "--profile", paramLabel = "NAME|FILE", description = "Upper profile instead of next-profile: "
            + "a profile name or a .json file.")
    String profile;

    @Option(names = "--store", paramLabel = "DIR", description = "Another store directory, searched after the "
            + "node's (repeatable).")
    List<Path> stores = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "OUTDIR", description = "Where images and reports go "
            + "(default: the current directory).")
    Path outDir = Path.of(".");

    @Option(names = "--enable", description = "Install the set into the root: /opt/extensions/NAME/FILE, "
            + "/etc/extensions/NAME.raw links, Flatcar's docker-flatcar/containerd-flatcar disabled (their links "
            + "replaced by /dev/null links) when replaced.")
    boolean enable;

    @Option(names = "--keep-sbin", description = "Keep usr/sbin/ in the image (default: its content moves to "
            + "usr/bin/, with the units and links that name it).")
    boolean keepSbin;

    @Mixin
    BuildOptions build;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        ImageSpec spec = build.spec().build();
        if (enable && spec.format() == BuildFormat.DIRECTORY) {
            throw new UsageException("--enable installs image files; use --format squashfs or erofs with it");
        }
        NativeTools tools = NativeTools.system();
        MigrationResult r = ProfileMigration.run(new MigrationRequest(
                new ProfileRequest(root, profile, stores), outDir,
                TorcxConversionOptions.defaults().withArchitecture(build.arch).withKeepSbin(keepSbin), enable),
                new BuilderImageWriter(tools, spec).withProgress(console.progress()), tools.unsquashfs());
        if (jsonOption.on()) {
            console.json(Json.write(r.report()));
        } else {
            console.println(r.summary().stripTrailing());
        }
        console.flush();
        int code = r.exitCode();
        if (code == ExitCodes.OK) {
            return ExitCodes.OK;
        }
        long bad = r.report().images().stream().filter(i -> i.exitCode() != 0).count();
        String message = bad + " of " + r.report().images().size() + " torcx images were not converted"
                + (enable ? " and nothing was installed" : "") + "; see " + r.reportFile();
        throw code == ExitCodes.REFUSED ? new RefusedException(message) : new OperationFailedException(message);
    }
}
