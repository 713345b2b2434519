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
            images.add(convertOne(request, writer, unsquashfs, r, toInstall));
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

    private static MigratedImage convertOne(MigrationRequest request, ImageWriter writer, Unsquashfs unsquashfs,
            ResolvedImage r, List<ExtensionInstaller.Item> toInstall) {
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
            toInstall.add(new ExtensionInstaller.Item(source.name(), written.path(), fileName, provides));
            return new MigratedImage(source.name(), pi.reference(), pi.remote(), MigratedImage.CONVERTED,
                    r.archive().nodePath(), r.archive().file().toString(), r.archive().format().jsonName(),
                    output.toString(), written.sizeBytes(), written.sha256(), source.architecture(),
                    source.extensionRelease(), List.copyOf(provides), source.report().changes(), findings, null, 0);
        } catch (SysextctlException e) {
            return new MigratedImage(pi.name(), pi.reference(), pi.remote(), MigratedImage.FAILED,
                    r.archive().nodePath(), r.archive().file().toString(), r.archive().format().jsonName(), null,
                    null, null, null, null, null, null, e instanceof dev.sysextctl.core.error.RefusedException re
                            ? re.findings() : null, e.getMessage(), e.exitCode());
        } catch (IOException e) {
            return new MigratedImage(pi.name(), pi.reference(), pi.remote(), MigratedImage.FAILED,
                    r.archive().nodePath(), r.archive().file().toString(), r.archive().format().jsonName(), null,
                    null, null, null, null, null, null, null, "cannot write the image: " + AtomicFiles.describe(e)
                            + "; check the output directory", 1);
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
