package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildFormat;
import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.BuildRequest;
import dev.sysextctl.builder.DdiSettings;
import dev.sysextctl.builder.ImageBuilder;
import dev.sysextctl.builder.ImageSpec;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.source.ImageSourceProvider;
import dev.sysextctl.builder.source.SourceFactory;
import dev.sysextctl.builder.source.oci.ContainerSelection;
import dev.sysextctl.builder.source.oci.ImageReference;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sysextctl build}: sources → sysext image. {@code --version} is the extension's version here (the
 * contract's spelling), so this command offers {@code -V} for the program version instead of the standard
 * {@code --version} help option.
 */
@Command(name = "build", versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Build a sysext image (or, with --class confext, a confext) from directories, tar archives (plain, gzip, xz, zstd, bzip2) and container "
            + "images (docker-archive:FILE, oci-archive:FILE, oci:DIR[:TAG], each with an optional @sha256:DIGEST), "
            + "layered in order (a later source wins a path conflict)."},
        footer = {"", "Examples:",
            "  sysextctl build tree/ --name hello --arch x86-64 --image-version 1.0",
            "      writes hello-1.0-x86-64.raw",
            "  tar -C tree -c . | sysextctl build - --name hello",
            "  sysextctl build app.tar.zst overrides/ --name app --target-os-release /etc/os-release",
            "  sysextctl build docker-archive:app.tar --base docker-archive:debian.tar --name app",
            "      only what the image adds or changes over its base",
            "  sysextctl build conf/ --name motd --class confext --os debian --os-version 13",
            "      a confext of conf/etc/: etc/extension-release.d/extension-release.motd",
            "", "Exit codes: 0 built, 1 a tool or I/O failed, 2 usage error, 3 lint errors refused the build."})
public final class BuildCommand implements DirectRuns.Command {
    private static final String STDIN = "-";
    /** {@code --version} without a value: the tool's version is asked for, as everywhere else. */
    static final String TOOL_VERSION = "\u0000tool-version";
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    ShortVersionHelpOptions help;

    @Parameters(paramLabel = "SOURCE", arity = "0..*", description = "Directories, tar archives and container images "
            + "(docker-archive:FILE, oci-archive:FILE, oci:DIR[:TAG], optionally @sha256:DIGEST), lowest layer first; - "
            + "is a tar archive on standard input.")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--base", paramLabel = "IMAGE", description = "Container image sources: keep only what they add or "
            + "change over this image (same forms as the sources); what they delete from it is reported.")
    String base;

    @Option(names = "--layers", paramLabel = "RANGE", description = "Container image sources: keep only what layers N to "
            + "M (RANGE is N..M, N.. or ..M; 1 is the lowest) add or change over the layers below N.")
    String layers;

    @Option(names = "--include", paramLabel = "PATH", description = "With --base or --layers: keep PATH under usr/ or "
            + "opt/ (and what is below it) even where it is unchanged (repeatable).")
    List<String> includes = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Extension name (the image carries "
            + "extension-release.NAME in usr/lib/extension-release.d/, a confext in etc/extension-release.d/).")
    String name;

    @Option(names = "--class", paramLabel = "CLASS", converter = EnumValues.ImageClasses.class,
            completionCandidates = EnumValues.ImageClasses.class,
            description = "${COMPLETION-CANDIDATES}: a sysext of usr/ and opt/ (default) or a confext of etc/ "
                    + "(CONFEXT_* fields).")
    ExtensionClass extensionClass = ExtensionClass.SYSEXT;

    @Option(names = {"--image-version", "--version"}, paramLabel = "V", arity = "0..1", fallbackValue = TOOL_VERSION,
            description = "Extension version: SYSEXT_VERSION_ID=V (a confext: CONFEXT_VERSION_ID=V). --version V is "
                    + "the same; --version alone prints sysextctl's version.")
    String version;

    @Option(names = "--reload-manager", description = "EXTENSION_RELOAD_MANAGER=1.")
    boolean reloadManager;

    @Mixin
    BuildOptions build;

    @Option(names = "--fs", paramLabel = "FS", converter = EnumValues.DdiFileSystems.class,
            completionCandidates = EnumValues.DdiFileSystems.class,
            description = "With --format ddi: the file system inside, ${COMPLETION-CANDIDATES} (default: erofs).")
    BuildFormat ddiFileSystem;

    @Option(names = "--sign-key", paramLabel = "KEY", description = "With --format ddi: sign the verity root hash "
            + "with this PEM private key (with --certificate).")
    Path signKey;

    @Option(names = "--certificate", paramLabel = "CERT", description = "With --format ddi: the PEM certificate of "
            + "--sign-key, named in the signature.")
    Path certificate;

    @Option(names = "--seed", paramLabel = "UUID", description = "With --format ddi: the salt and the UUIDs derive "
            + "from it (default: from the image's entries and its root hash).")
    String seed;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Default: NAME.raw, or "
            + "NAME-VERSION-ARCH.raw with --version and --arch.")
    Path outputPath;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON build report there.")
    Path report;

    @Mixin
    JsonOption jsonOption;

    /** The console of a run that picocli did not parse ({@link DirectRuns}), else null. */
    private Console direct;

    @Override
    public void printTo(Console console) {
        direct = console;
    }

    @Override
    public Integer call() throws SysextctlException {
        Console console = direct != null ? direct : new Console(spec, output);
        if (TOOL_VERSION.equals(version)) {
            if (sources.isEmpty() && name == null) {
                spec.commandLine().printVersionHelp(spec.commandLine().getOut());
                return ExitCodes.OK;
            }
            throw new UsageException("--version needs a value here (the extension's version); write --image-version V "
                    + "(or --version V before the sources)");
        }
        if (sources.isEmpty()) {
            throw new UsageException("missing SOURCE; give directories or tar archives, or - for a tar archive on "
                    + "standard input (e.g. sysextctl build tree/ --name hello)");
        }
        ContainerSelection selection = ContainerSelection.of(base, layers, includes);
        if (!selection.equals(ContainerSelection.ALL)
                && sources.stream().noneMatch(s -> ImageReference.isReference(s.toString()))) {
            throw new UsageException("--base, --layers and --include apply to container image sources, and none is "
                    + "given; name one as docker-archive:FILE, oci-archive:FILE or oci:DIR[:TAG]");
        }
        SourceFactory factory = SourceFactory.standard(selection);
        String extName = name != null ? name : derived(factory, ImageSourceProvider::defaultName).orElseThrow(() ->
                new UsageException("--name is required; give the extension name (e.g. --name hello)"));
        String extVersion = version != null ? version
                : derived(factory, ImageSourceProvider::defaultVersion).orElse(null);
        List<ImageSource> opened = new ArrayList<>();
        Path spooled = null;
        try {
            for (Path s : sources) {
                if (s.toString().equals(STDIN)) {
                    if (spooled != null) {
                        throw new UsageException("'-' (standard input) is given twice; a build reads one tar "
                                + "archive from standard input");
                    }
                    spooled = spoolStandardInput();
                    s = spooled;
                }
                opened.add(factory.open(s));
            }
            return build(console, extName, extVersion, opened);
        } finally {
            for (ImageSource s : opened) {
                s.close();
            }
            if (spooled != null) {
                try {
                    Files.deleteIfExists(spooled);
                } catch (IOException ignored) {
                    // a leftover in the temporary directory; nothing the user must do
                }
            }
        }
    }

    /**
     * {@code -}: the tar archive on standard input (plain or compressed, told from its magic bytes), copied to a
     * temporary file because layering reads each source more than once.
     */
    private static Path spoolStandardInput() throws SysextctlException {
        if (System.console() != null) {
            throw new UsageException("'-' reads a tar archive from standard input, but standard input is a terminal; "
                    + "pipe one in (e.g. tar -C tree -c . | sysextctl build - --name hello)");
        }
        try {
            Path tmp = Files.createTempFile("sysextctl-stdin-", ".tar");
            try (InputStream in = System.in) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.size(tmp) == 0) {
                Files.delete(tmp);
                throw new UsageException("'-' reads a tar archive from standard input, but it was empty; pipe one in "
                        + "(e.g. tar -C tree -c . | sysextctl build - --name hello)");
            }
            return tmp;
        } catch (IOException e) {
            throw new OperationFailedException("cannot read the tar archive on standard input: "
                    + AtomicFiles.describe(e) + "; check the space in " + System.getProperty("java.io.tmpdir"));
        }
    }

    private Integer build(Console console, String extName, String extVersion, List<ImageSource> opened)
            throws SysextctlException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ImageSource s : opened) {
            defaults.putAll(s.releaseDefaults());
        }
        ImageSpec spec = build.spec().extensionClass(extensionClass).reloadManager(reloadManager).version(extVersion)
                .ddi(ddiSettings()).build().withDefaults(defaults);
        BuildRequest request = BuildRequest.builder(extName)
                .sources(opened)
                .spec(spec)
                .extensionRelease(spec.toReleaseFile())
                .output(outputPath)
                .build();
        BuildReport result;
        ImageBuilder builder = new ImageBuilder(NativeTools.system()).withProgress(console.progress());
        if (console.quiet() && report == null && !jsonOption.on()) {
            builder = builder.withoutChecksum(); // nothing shows it (docs/cli.md §2.3)
        }
        try {
            result = builder.build(request);
        } catch (RefusedException e) {
            BuildOutput.refused(console, e, jsonOption.on(), extName, Map.of());
            throw e;
        }
        BuildOutput.findings(console, result.lint());
        // Jackson is loaded only when a JSON document is asked for: it costs a few hundred ms of start-up.
        if (report != null || jsonOption.on()) {
            BuildOutput.report(console, report, jsonOption.on(), Json.write(result));
        }
        if (!jsonOption.on()) {
            BuildOutput.summary(console, result, null);
            if (result.extensionClass() != ExtensionClass.SYSEXT) {
                console.println("  class        " + result.extensionClass().id());
            }
            console.println("  hierarchies  " + String.join(" ", result.hierarchies()));
            console.debug("built in " + result.durationMillis() + " ms with " + result.tools());
        }
        console.flush();
        return ExitCodes.OK;
    }

    /** The DDI options; refused without {@code --format ddi}, where they would be ignored. */
    private DdiSettings ddiSettings() throws UsageException {
        boolean any = ddiFileSystem != null || signKey != null || certificate != null || seed != null;
        if (build.format != BuildFormat.DDI) {
            if (any) {
                throw new UsageException("--fs, --sign-key, --certificate and --seed apply to DDIs; add --format ddi "
                        + "or drop them");
            }
            return null;
        }
        UUID s = null;
        if (seed != null) {
            try {
                s = UUID.fromString(seed.trim());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--seed '" + seed + "' is not a UUID; give one like "
                        + "0c1a9a8e-1111-4222-8333-444455556666");
            }
        }
        return new DdiSettings(ddiFileSystem, signKey, certificate, s);
    }

    private interface Derivation {
        Optional<String> from(ImageSourceProvider provider, Path path);
    }

    private Optional<String> derived(SourceFactory factory, Derivation d) {
        for (Path s : sources) {
            Optional<ImageSourceProvider> p = factory.providerFor(s);
            if (p.isPresent()) {
                Optional<String> v = d.from(p.get(), s);
                if (v.isPresent()) {
                    return v;
                }
            }
        }
        return Optional.empty();
    }
}
