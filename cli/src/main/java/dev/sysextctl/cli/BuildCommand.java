package dev.sysextctl.cli;

import dev.sysextctl.builder.BuildReport;
import dev.sysextctl.builder.BuildRequest;
import dev.sysextctl.builder.ImageBuilder;
import dev.sysextctl.builder.release.ExtensionReleaseSpec;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.builder.source.ImageSourceProvider;
import dev.sysextctl.builder.source.SourceFactory;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.tools.NativeTools;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
        description = {"Build a sysext image from directories and tar archives (plain, gzip, xz, zstd, bzip2),",
            "layered in order (a later source wins a path conflict)."},
        footer = {"", "Examples:",
            "  sysextctl build tree/ --name hello --arch x86-64 --version 1.0     -> hello-1.0-x86-64.raw",
            "  sysextctl build app.tar.zst overrides/ --name app --target-os-release /etc/os-release",
            "", "Exit codes: 0 built, 1 a tool or I/O failed, 2 usage error, 3 lint errors refused the build."})
public final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    ShortVersionHelpOptions help;

    @Parameters(paramLabel = "SOURCE", arity = "1..*", description = "Directories and tar archives, lowest layer "
            + "first.")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Extension name (the image carries "
            + "usr/lib/extension-release.d/extension-release.NAME).")
    String name;

    @Option(names = "--version", paramLabel = "V", description = "Extension version: SYSEXT_VERSION_ID=V.")
    String version;

    @Option(names = "--reload-manager", description = "EXTENSION_RELOAD_MANAGER=1.")
    boolean reloadManager;

    @Mixin
    BuildOptions build;

    @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Default: NAME.raw, or "
            + "NAME-VERSION-ARCH.raw with --version and --arch.")
    Path outputPath;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON build report there.")
    Path report;

    @Option(names = "--json", description = "Print the JSON build report on stdout.")
    boolean json;

    @Override
    public Integer call() throws SysextctlException {
        Console console = new Console(spec, output);
        SourceFactory factory = SourceFactory.standard();
        String extName = name != null ? name : derived(factory, ImageSourceProvider::defaultName).orElseThrow(() ->
                new UsageException("--name is required; give the extension name (e.g. --name hello)"));
        String extVersion = version != null ? version
                : derived(factory, ImageSourceProvider::defaultVersion).orElse(null);
        List<ImageSource> opened = new ArrayList<>();
        try {
            for (Path s : sources) {
                opened.add(factory.open(s));
            }
            return build(console, extName, extVersion, opened);
        } finally {
            for (ImageSource s : opened) {
                s.close();
            }
        }
    }

    private Integer build(Console console, String extName, String extVersion, List<ImageSource> opened)
            throws SysextctlException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (ImageSource s : opened) {
            defaults.putAll(s.releaseDefaults());
        }
        ExtensionReleaseSpec release = new ExtensionReleaseSpec(build.os, build.osVersion, build.sysextLevel,
                build.targetOsRelease, build.arch, build.scope, reloadManager, extVersion, build.set)
                .withDefaults(defaults);
        BuildRequest request = BuildRequest.builder(extName)
                .sources(opened)
                .extensionRelease(release.toReleaseFile())
                .format(build.buildFormat())
                .compression(build.buildCompression())
                .output(outputPath)
                .sourceDateEpoch(build.epoch())
                .keepOwnership(build.keepOwnership)
                .strict(build.strict)
                .force(build.force)
                .build();
        BuildReport result;
        try {
            result = new ImageBuilder(NativeTools.system()).build(request);
        } catch (RefusedException e) {
            BuildOutput.refused(console, e, json, extName, Map.of());
            throw e;
        }
        BuildOutput.findings(console, result.lint());
        // Jackson is loaded only when a JSON document is asked for: it costs a few hundred ms of start-up.
        if (report != null || json) {
            BuildOutput.report(console, report, json, Json.write(result));
        }
        if (!json) {
            BuildOutput.summary(console, result, null);
            console.println("  hierarchies  " + String.join(" ", result.hierarchies()));
            console.debug("built in " + result.durationMillis() + " ms with " + result.tools());
        }
        console.flush();
        return ExitCodes.OK;
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
