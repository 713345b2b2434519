package dev.sysextctl.converter;

import dev.sysextctl.builder.source.EntryVisitor;
import dev.sysextctl.builder.source.ImageSource;
import dev.sysextctl.converter.archive.ArchiveStager;
import dev.sysextctl.converter.archive.StagedArchive;
import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import dev.sysextctl.converter.archive.TorcxArchiveName;
import dev.sysextctl.converter.archive.TgzMembers;
import dev.sysextctl.converter.layout.ConversionChange;
import dev.sysextctl.converter.layout.ConversionPlan;
import dev.sysextctl.converter.layout.ConversionPlanner;
import dev.sysextctl.converter.layout.ConversionRules;
import dev.sysextctl.converter.layout.EntryContent;
import dev.sysextctl.converter.layout.PlannedEntry;
import dev.sysextctl.core.arch.Architecture;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A torcx image archive ({@code NAME:REF.torcx.tgz} or {@code .torcx.squashfs}) as an {@link ImageSource}: the
 * archive is staged once when opened (only the files the conversion may change are copied), the conversion
 * planned once (manifest first), and every {@link #scan} replays the same converted entries in the same order, the
 * unchanged files streamed from the archive. Close it to delete the staging directory.
 *
 * <p>The extension-release the image should carry is {@link #extensionRelease()}: {@code ID=_any},
 * {@code ARCHITECTURE} (what the binaries are for), {@code SYSEXT_VERSION_ID} (the torcx reference) and
 * {@code EXTENSION_RELOAD_MANAGER=1}; the builder writes it.
 */
public final class TorcxArchiveSource implements ImageSource, AutoCloseable {
    private final Path archive;
    private final StagedArchive staged;
    private final ConversionPlan plan;
    private final ConversionReport report;
    private final Map<String, String> release;

    private TorcxArchiveSource(Path archive, StagedArchive staged, ConversionPlan plan, ConversionReport report,
            Map<String, String> release) {
        this.archive = archive;
        this.staged = staged;
        this.plan = plan;
        this.report = report;
        this.release = release;
    }

    /** True when the file name says torcx archive ({@code *.torcx.tgz}, {@code *.torcx.squashfs}). */
    public static boolean isTorcxArchive(Path path) {
        Path f = path.getFileName();
        return f != null && TorcxArchiveFormat.ofFileName(f.toString()) != null;
    }

    /** {@link #open(Path, TorcxConversionOptions, Unsquashfs)} with the defaults. */
    public static TorcxArchiveSource open(Path archive, Unsquashfs unsquashfs) throws SysextctlException {
        return open(archive, TorcxConversionOptions.defaults(), unsquashfs);
    }

    /**
     * Reads and converts {@code archive}.
     *
     * @throws UsageException when the name does not parse or an option is invalid
     * @throws dev.sysextctl.core.error.RefusedException when the archive is not what its name says
     * @throws dev.sysextctl.core.error.OperationFailedException when it cannot be read or staged
     */
    public static TorcxArchiveSource open(Path archive, TorcxConversionOptions options, Unsquashfs unsquashfs)
            throws SysextctlException {
        String fileName = archive.getFileName() == null ? archive.toString() : archive.getFileName().toString();
        TorcxArchiveName parsed = TorcxArchiveName.parse(fileName).orElse(null);
        TorcxArchiveFormat format = options.format() != null ? options.format()
                : parsed != null ? parsed.format() : null;
        String torcxName = options.imageName() != null ? options.imageName() : parsed != null ? parsed.name() : null;
        String reference = options.reference() != null ? options.reference()
                : parsed != null ? parsed.reference() : null;
        if (format == null || torcxName == null || reference == null) {
            throw new UsageException("'" + fileName + "' is not named like a torcx archive; expected "
                    + "NAME:REFERENCE.torcx.tgz or NAME:REFERENCE.torcx.squashfs");
        }
        String name = options.name() != null ? options.name() : torcxName;
        java.util.Optional<String> invalid = ImageNames.invalidReason(name);
        if (invalid.isPresent()) {
            throw new UsageException("extension name '" + name + "' is not valid: " + invalid.get()
                    + "; give a valid --name");
        }
        String arch = null;
        if (options.architecture() != null) {
            arch = Architecture.normalize(options.architecture()).orElseThrow(() -> new UsageException(
                    "unknown architecture '" + options.architecture() + "'; use a systemd name such as x86-64 or "
                            + "arm64 (aliases x86_64, amd64, aarch64 and 'host' work too)"));
        }
        StagedArchive staged = ArchiveStager.stage(archive, format, unsquashfs, options.workDir());
        boolean ok = false;
        try {
            ConversionPlan plan = ConversionPlanner.plan(staged, torcxName, options.keepSbin());
            List<ConversionChange> changes = new ArrayList<>(plan.changes());
            List<Finding> findings = new ArrayList<>(plan.findings());
            String archSource = "option";
            if (arch == null) {
                if (!plan.architectures().isEmpty()) {
                    arch = plan.architectures().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow()
                            .getKey();
                    archSource = "elf";
                    if (plan.architectures().size() > 1) {
                        findings.add(ConversionRules.warning(ConversionRules.ARCHITECTURE, "", "the archive holds "
                                + "binaries for several architectures " + plan.architectures() + "; using " + arch,
                                "give --arch"));
                    }
                } else {
                    arch = Architecture.host();
                    archSource = "host";
                }
            }
            changes.add(new ConversionChange(ConversionChange.Kind.ARCHITECTURE, "", "ARCHITECTURE=" + arch + " ("
                    + switch (archSource) {
                        case "elf" -> "what the binaries are for";
                        case "host" -> "no ELF binaries: this machine";
                        default -> "given";
                    } + ")"));
            for (String note : staged.notes()) {
                changes.add(new ConversionChange("archive-note", "", note));
            }
            Map<String, String> release = new LinkedHashMap<>();
            release.put(ReleaseKeys.ID, ReleaseKeys.ANY);
            release.put(ReleaseKeys.ARCHITECTURE, arch);
            release.put(ReleaseKeys.SYSEXT_VERSION_ID, reference);
            release.put(ReleaseKeys.EXTENSION_RELOAD_MANAGER, "1");
            ConversionReport report = new ConversionReport(archive.toString(), format, torcxName,
                    reference, name, reference, arch, archSource, plan.manifest().isPresent(), plan.entries().size(),
                    release, changes, findings);
            ok = true;
            return new TorcxArchiveSource(archive, staged, plan, report, release);
        } finally {
            if (!ok) {
                staged.close();
            }
        }
    }

    @Override
    public String describe() {
        return archive.getFileName() + " (torcx image " + report.torcxName() + ":" + report.reference() + ")";
    }

    @Override
    public void scan(EntryVisitor visitor, Findings findings) throws IOException, SysextctlException {
        findings.addAll(report.findings());
        // In plan order; the files streamed from the archive are read through one cursor that moves forward (and
        // reopens the archive only when the plan goes back to an earlier entry), so nothing is copied to disk.
        try (TgzMembers.Cursor cursor = new TgzMembers.Cursor(archive)) {
            for (PlannedEntry e : plan.entries()) {
                if (e.entry().type() == EntryType.FILE && e.content() instanceof EntryContent.Member m) {
                    visitor.visit(e.entry(), cursor.open(m.index()));
                } else if (e.entry().type() == EntryType.FILE) {
                    try (InputStream in = e.content().open()) {
                        visitor.visit(e.entry(), in);
                    }
                } else {
                    visitor.visit(e.entry(), null);
                }
            }
        }
    }

    /** The extension name ({@code docker} for {@code docker:20.10.torcx.tgz}). */
    public String name() {
        return report.name();
    }

    /** The torcx reference ({@code 20.10}), the default extension version. */
    public String reference() {
        return report.reference();
    }

    public String architecture() {
        return report.architecture();
    }

    /** The extension-release fields the converted image should carry, in file order. */
    public Map<String, String> extensionRelease() {
        return release;
    }

    /**
     * {@link #extensionRelease()}, what {@code build} uses where no flag says otherwise, without an
     * {@code ARCHITECTURE} the content does not imply: an archive without ELF binaries names none (this machine's
     * would tie an architecture-independent image to it).
     */
    @Override
    public Map<String, String> releaseDefaults() {
        if (!"host".equals(report.architectureSource())) {
            return release;
        }
        Map<String, String> defaults = new LinkedHashMap<>(release);
        defaults.remove(ReleaseKeys.ARCHITECTURE);
        return defaults;
    }

    public ConversionReport report() {
        return report;
    }

    /** The converted entries in scan order (without contents). */
    public List<TreeEntry> entries() {
        return plan.entries().stream().map(PlannedEntry::entry).toList();
    }

    /** The converted plan, contents included (for tests and reports). */
    public ConversionPlan plan() {
        return plan;
    }

    /** The default image file name: {@code NAME-REFERENCE-ARCH.raw}, the sysext-bakery naming. */
    public String defaultFileName() {
        return name() + "-" + reference() + "-" + architecture() + ImageNames.RAW_SUFFIX;
    }

    @Override
    public void close() {
        staged.close();
    }
}
