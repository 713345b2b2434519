package dev.sysextctl.converter.migration;

import dev.sysextctl.converter.TorcxArchiveSource;
import dev.sysextctl.converter.TorcxConversionOptions;
import dev.sysextctl.converter.profile.ProfileImage;
import dev.sysextctl.converter.profile.ProfileResolution;
import dev.sysextctl.converter.profile.ProfileResolver;
import dev.sysextctl.converter.profile.ResolvedImage;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.json.Json;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code convert torcx-profile}: resolves the node's torcx set as torcx did at boot, converts every image with
 * {@link TorcxArchiveSource} and writes it through the {@link ImageWriter} as
 * {@code OUTDIR/NAME-REFERENCE-ARCH.raw}, scans the node for leftovers, optionally installs the set, and writes
 * {@code OUTDIR/migration.json} and {@code OUTDIR/migration.txt}. One image failing does not stop the others;
 * {@code --enable} installs only a complete set; when installing is refused, the reports are written (saying
 * so) before the refusal is thrown.
 */
public final class ProfileMigration {
    public static final String REPORT_FILE = "migration.json";
    public static final String SUMMARY_FILE = "migration.txt";
    /** Images converted at the same time. */
    static final int PARALLEL_CONVERSIONS = 2;

    private ProfileMigration() {
    }

    public static MigrationResult run(MigrationRequest request, ImageWriter writer, Unsquashfs unsquashfs)
            throws SysextctlException {
        ProfileResolution resolution = ProfileResolver.resolve(request.profile());
        Path out = request.outputDirectory();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new OperationFailedException("cannot create output directory " + out + ": "
                    + AtomicFiles.describe(e) + "; check the path and permissions");
        }
        Map<String, Integer> lastIndexOfName = new HashMap<>();
        for (int i = 0; i < resolution.images().size(); i++) {
            lastIndexOfName.put(resolution.images().get(i).image().name(), i);
        }
        List<MigratedImage> images = new ArrayList<>();
        List<ExtensionInstaller.Item> toInstall = new ArrayList<>();
        Map<Integer, Future<Converted>> conversions = convertAll(request, writer, unsquashfs, resolution,
                lastIndexOfName);
        for (int i = 0; i < resolution.images().size(); i++) {
            ResolvedImage r = resolution.images().get(i);
            ProfileImage pi = r.image();
            if (lastIndexOfName.get(pi.name()) != i) {
                images.add(new MigratedImage(pi.name(), pi.reference(), pi.remote(), MigratedImage.SUPERSEDED,
                        r.archive() == null ? null : r.archive().nodePath(), null, null, null, null, null, null,
                        null, null, null, null, "a later entry of the profile set names the same image; torcx "
                                + "unpacked both to /run/torcx/unpack/" + pi.name() + " and the later one won", 0));
                continue;
            }
            if (!r.resolved()) {
                images.add(new MigratedImage(pi.name(), pi.reference(), pi.remote(), MigratedImage.MISSING, null,
                        null, null, null, null, null, null, null, null, null, null, r.problem()
                                + "; torcx failed on this image at boot too: put the archive in a store or remove "
                                + "it from the profile", 1));
                continue;
            }
            Converted c = await(conversions.get(i));
            images.add(c.image());
            if (c.install() != null) {
                toInstall.add(c.install());
            }
        }
        boolean complete = images.stream().allMatch(m -> m.converted() || MigratedImage.SUPERSEDED.equals(m.status()));
        List<Leftover> leftovers = LeftoverScanner.scan(request.profile().root(),
                images.stream().filter(MigratedImage::converted).map(MigratedImage::name).toList());
        Installation installation = null;
        SysextctlException installFailure = null;
        if (request.enable()) {
            if (complete) {
                try {
                    installation = ExtensionInstaller.install(request.profile().root(), toInstall);
                } catch (SysextctlException e) {
                    installFailure = e;
                    installation = new Installation(List.of(), List.of(), List.of(e.getMessage()));
                }
            } else {
                installation = new Installation(List.of(), List.of(), List.of("nothing installed: the set is "
                        + "incomplete (see the images that were not converted); fix them and run again"));
            }
        }
        MigrationReport report = new MigrationReport(request.profile().root().toString(), out.toString(),
                resolution.versionId(), new MigrationReport.Torcx(resolution.lowerProfiles(),
                        resolution.upperProfile(), resolution.upperSource(), resolution.profiles(),
                        resolution.merged().stream().map(ProfileImage::display).toList(), resolution.storePaths(),
                        resolution.seal(), resolution.warnings(), resolution.storeNotes()),
                images, leftovers, installation, complete);
        String summary = MigrationSummary.render(report);
        Path reportFile = out.resolve(REPORT_FILE);
        Path summaryFile = out.resolve(SUMMARY_FILE);
        AtomicFiles.writeString(reportFile, Json.write(report) + "\n", true);
        AtomicFiles.writeString(summaryFile, summary, true);
        if (installFailure != null) {
            throw installFailure;
        }
        return new MigrationResult(report, summary, reportFile, summaryFile);
    }

    /** One conversion's outcome: the report entry, and what to install when it was converted. */
    private record Converted(MigratedImage image, ExtensionInstaller.Item install) {
    }

    /**
     * Converts the images that will be used, two at a time: they are independent (own archive, staging directory
     * and output file), and while one is staged (decompressing on one core) the other's mksquashfs has the CPUs.
     * Results are collected in the profile's order.
     */
    private static Map<Integer, Future<Converted>> convertAll(MigrationRequest request, ImageWriter writer,
            Unsquashfs unsquashfs, ProfileResolution resolution, Map<String, Integer> lastIndexOfName) {
        Map<Integer, Future<Converted>> out = new HashMap<>();
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < resolution.images().size(); i++) {
            ResolvedImage r = resolution.images().get(i);
            if (lastIndexOfName.get(r.image().name()) == i && r.resolved()) {
                todo.add(i);
            }
        }
        if (todo.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_CONVERSIONS, todo.size()), r -> {
            Thread t = new Thread(r, "sysextctl-convert");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int i : todo) {
                ResolvedImage r = resolution.images().get(i);
                out.put(i, pool.submit(() -> convertOne(request, writer, unsquashfs, r)));
            }
        } finally {
            pool.shutdown();
        }
        return out;
    }

    private static Converted await(Future<Converted> f) throws OperationFailedException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("the conversion was interrupted; run it again");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new OperationFailedException("converting failed: " + c);
        }
    }

    private static Converted convertOne(MigrationRequest request, ImageWriter writer, Unsquashfs unsquashfs,
            ResolvedImage r) {
        ProfileImage pi = r.image();
        TorcxConversionOptions options = request.conversion().withImage(pi.name(), pi.reference(),
                r.archive().format());
        try (TorcxArchiveSource source = TorcxArchiveSource.open(r.archive().file(), options, unsquashfs)) {
            String fileName = writer.fileName(source);
            Path output = request.outputDirectory().resolve(fileName);
            WrittenImage written = writer.write(source, output);
            List<Finding> findings = new ArrayList<>(source.report().findings());
            for (Finding f : written.lint()) {
                if (!findings.contains(f)) {
                    findings.add(f);
                }
            }
            Set<String> provides = provides(source.entries());
            return new Converted(new MigratedImage(source.name(), pi.reference(), pi.remote(),
                    MigratedImage.CONVERTED, r.archive().nodePath(), r.archive().file().toString(),
                    r.archive().format().jsonName(), output.toString(), written.sizeBytes(), written.sha256(),
                    source.architecture(), source.extensionRelease(), List.copyOf(provides),
                    source.report().changes(), findings, null, 0),
                    new ExtensionInstaller.Item(source.name(), written.path(), fileName, provides));
        } catch (SysextctlException e) {
            return new Converted(new MigratedImage(pi.name(), pi.reference(), pi.remote(), MigratedImage.FAILED,
                    r.archive().nodePath(), r.archive().file().toString(), r.archive().format().jsonName(), null,
                    null, null, null, null, null, null, e instanceof dev.sysextctl.core.error.RefusedException re
                            ? re.findings() : null, e.getMessage(), e.exitCode()), null);
        } catch (IOException e) {
            return new Converted(new MigratedImage(pi.name(), pi.reference(), pi.remote(), MigratedImage.FAILED,
                    r.archive().nodePath(), r.archive().file().toString(), r.archive().format().jsonName(), null,
                    null, null, null, null, null, null, null, "cannot write the image: " + AtomicFiles.describe(e)
                            + "; check the output directory", 1), null);
        }
    }

    /** What an image provides that Flatcar's built-ins also do: {@code docker}, {@code containerd}. */
    static Set<String> provides(List<TreeEntry> entries) {
        Set<String> out = new TreeSet<>();
        for (TreeEntry e : entries) {
            switch (e.path()) {
                case "usr/bin/dockerd", "usr/bin/docker" -> out.add("docker");
                case "usr/bin/containerd" -> out.add("containerd");
                default -> {
                }
            }
        }
        return out;
    }
}
