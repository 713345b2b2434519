package dev.sysextctl.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.converter.ConversionReport;
import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.build.BuilderImageWriter;
import dev.sysextctl.converter.layout.ConversionChange;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sysextctl convert torcx-image ARCHIVE}: one torcx archive → one sysext image. {@code --version} is the
 * extension's version here (as for {@code build}), so {@code -V} prints the program version.
 */
@Command(name = "torcx-image", versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Convert one torcx image archive into a sysext image.", "",
            "ARCHIVE is NAME:REFERENCE.torcx.tgz or NAME:REFERENCE.torcx.squashfs. Its manifest places binaries, "
                    + "units, networkd, tmpfiles, sysusers and udev files where systemd reads them under /usr; units "
                    + "lose torcx.target, /run/metadata/torcx and $${TORCX_*}; *.wants/ links get Upholds= drop-ins; "
                    + "links and ELF runpaths into /run/torcx are rewritten; the image says "
                    + "EXTENSION_RELOAD_MANAGER=1."},
        footer = {"", "Examples:",
            "  sysextctl convert torcx-image docker:20.10.torcx.tgz",
            "      writes docker-20.10-x86-64.raw",
            "  sysextctl convert torcx-image addon.torcx.squashfs --name addon --version 1.2 -o addon.raw",
            "", "Exit codes: 0 converted, 1 a tool or I/O failed, 2 usage error, 3 the archive or the image was "
                    + "refused."})
public final class ConvertTorcxImageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    ShortVersionHelpOptions help;

    @Parameters(paramLabel = "ARCHIVE", description = "A torcx image archive (*.torcx.tgz, *.torcx.squashfs).")
    Path archive;

    @Option(names = "--name", paramLabel = "NAME", description = "Extension name (default: NAME of NAME:REFERENCE).")
    String name;

    @Option(names = "--version", paramLabel = "V", description = "Extension version: SYSEXT_VERSION_ID=V (default: "
            + "REFERENCE).")
    String version;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Image to write (default: "
            + "NAME-VERSION-ARCH.raw in the current directory).")
    Path out;

    @Option(names = "--keep-sbin", description = "Keep usr/sbin/ in the image (default: its content moves to "
            + "usr/bin/, with the units and links that name it).")
    boolean keepSbin;

    @Mixin
    BuildOptions build;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report there (the build report "
            + "plus a 'torcx' object with every change).")
    Path report;

    @Mixin
    JsonOption jsonOption;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        NativeTools tools = NativeTools.system();
        ImageSpec spec = build.spec().version(version).build();
        TorcxConversionOptions options = TorcxConversionOptions.defaults().withName(name)
                .withArchitecture(build.arch).withKeepSbin(keepSbin);
        console.progress().step("unpacking " + archive.getFileName(), -1);
        try (TorcxArchiveSource source = TorcxArchiveSource.open(archive, options, tools.unsquashfs())) {
            BuilderImageWriter writer = new BuilderImageWriter(tools, spec).withProgress(console.progress());
            Path target = out != null ? out : Path.of(writer.fileName(source));
            BuildReport result;
            try {
                result = writer.build(source, target);
            } catch (RefusedException e) {
                BuildOutput.refused(console, e, jsonOption.on(), source.name(), Map.of("torcx", source.report()));
                throw e;
            }
            BuildOutput.findings(console, result.lint());
            if (report != null || jsonOption.on()) {
                ObjectNode doc = Json.mapper().valueToTree(result);
                doc.set("torcx", Json.mapper().valueToTree(source.report()));
                BuildOutput.report(console, report, jsonOption.on(), Json.write(doc));
            }
            if (!jsonOption.on()) {
                printHuman(console, source.report(), result);
            }
        }
        console.flush();
        return ExitCodes.OK;
    }

    private static void printHuman(Console console, ConversionReport c, BuildReport r) {
        BuildOutput.summary(console, r, c.archive() + " (torcx " + c.torcxName() + ":" + c.reference() + ", "
                + c.format().jsonName() + (c.manifest() ? ", manifest" : ", no manifest") + ")");
        for (ConversionChange ch : c.changes()) {
            if (console.verbose() || !ch.kind().equals(ConversionChange.Kind.RELOCATED)) {
                console.println("  " + String.format("%-18s", ch.kind()) + " "
                        + (ch.path().isEmpty() ? "" : ch.path() + ": ") + ch.detail());
            }
        }
    }
}
