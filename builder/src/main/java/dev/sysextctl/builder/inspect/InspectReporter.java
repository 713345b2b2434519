package dev.sysextctl.builder.inspect;

import dev.sysextctl.builder.write.DirectoryDigest;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ClassLookup;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.ddi.DdiImageFs;
import dev.sysextctl.core.image.ddi.DdiSummary;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageAccessResult;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Findings;
import dev.sysextctl.core.lint.ImageLinter;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.lint.Severity;
import dev.sysextctl.core.release.OsReleaseFiles;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseFiles;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code inspect} reports: reads an image through the image-access layer, without root and without mounting
 * (squashfs in Java with unsquashfs behind it, erofs in Java, directories directly), and reports its format, size, digest, names, extension-release, hierarchies, entries
 * and lint findings.
 */
public final class InspectReporter {
    /** Extra finding: the file name gives another extension name than the image's extension-release. */
    private static final String FILE_NAME_MISMATCH = RuleId.FILE_NAME_MISMATCH.id();
    private static final String CONFEXT_SUFFIX = ".confext" + ImageNames.RAW_SUFFIX;

    private final NativeTools tools;

    public InspectReporter(NativeTools tools) {
        this.tools = tools;
    }

    /**
     * @param listFiles include every entry in {@link InspectReport#files()}
     * @param given the systemd whose name rules apply ({@code .sysext.raw} is stripped from 255 on), or null when it
     *        is not known: a sysext is then named by 252's rules, a confext by 257's (docs/cli.md §4)
     */
    public InspectReport inspect(Path image, boolean listFiles, SystemdVersion given) throws SysextctlException {
        SystemdVersion v = given != null ? given : SystemdVersion.DEFAULT;
        ImageRequest request = ImageRequest.file(image, AccessPolicy.USERSPACE_OR_TOOL);
        try (ImageAccessResult.Opened opened = new ImageAccess(tools).open(request).opened()) {
            ImageFileSystem fs = opened.fs();
            ImageFormat format = opened.format();
            boolean dir = format == ImageFormat.DIRECTORY;
            String fileName = image.toAbsolutePath().normalize().getFileName().toString();
            ImageType type = dir ? ImageType.DIRECTORY : ImageType.RAW;
            String name = ExtensionClass.SYSEXT.imageName(fileName, type, v)
                    .orElse(dir ? fileName : ImageNames.fromFileName(fileName, v));
            List<TreeEntry> entries = fs.walk();

            Findings findings = new Findings();
            String releaseName = null;
            String releaseFile = null;
            ReleaseFile release = ReleaseFile.EMPTY;
            ClassLookup classes = ExtensionReleaseLocator.classify(fs, name, v);
            if (classes.kind() == ClassLookup.Kind.CONFEXT || fileName.endsWith(CONFEXT_SUFFIX)) {
                // a confext is named as systemd-confext names it (NAME.confext.raw is NAME from 255 on), by 257's
                // rules when the version is not given, as validate and the node commands name it
                SystemdVersion cv = given != null ? given : SystemdVersion.CONFEXT_DEFAULT;
                String confextName = ExtensionClass.CONFEXT.imageName(fileName, type, cv).orElse(name);
                ClassLookup asConfext = confextName.equals(name) && cv.major() == v.major() ? classes
                        : ExtensionReleaseLocator.classify(fs, confextName, cv);
                if (asConfext.kind() == ClassLookup.Kind.CONFEXT) {
                    name = confextName;
                    classes = asConfext;
                }
            }
            // a confext when it carries only a confext's release file; else read (and linted) as a sysext
            ExtensionClass cls = classes.kind() == ClassLookup.Kind.CONFEXT ? ExtensionClass.CONFEXT
                    : ExtensionClass.SYSEXT;
            ReleaseLookup lookup = classes.of(cls);
            if (lookup.found()) {
                releaseName = lookup.path().substring(lookup.path().lastIndexOf('/') + 1
                        + ReleaseKeys.EXTENSION_RELEASE_PREFIX.length());
                releaseFile = lookup.path();
                release = lookup.release();
            } else {
                List<TreeEntry> candidates = new ArrayList<>();
                for (TreeEntry e : fs.list(cls.releaseDirectory())) {
                    if (e.type() == EntryType.FILE && e.name().startsWith(ReleaseKeys.EXTENSION_RELEASE_PREFIX)) {
                        candidates.add(e);
                    }
                }
                if (candidates.size() == 1) {
                    releaseFile = candidates.get(0).path();
                    releaseName = candidates.get(0).name().substring(ReleaseKeys.EXTENSION_RELEASE_PREFIX.length());
                    release = OsReleaseFiles.parse(fs.read(releaseFile, ReleaseFiles.MAX_BYTES), releaseFile);
                    // A versioned file name (NAME-VERSION-ARCH.raw) is installed as NAME.raw: nothing to warn about.
                    boolean versioned = !dir && name.startsWith(releaseName + "-");
                    if (!versioned) {
                        findings.add(new Finding(FILE_NAME_MISMATCH, Severity.WARNING, releaseFile, "the file name "
                                + "makes this image '" + name + "', but it carries extension-release." + releaseName
                                + "; systemd refuses it under the name '" + name + "'",
                                "enable it under the name " + releaseName + " (e.g. /etc/extensions/" + releaseName
                                        + (dir ? "" : ".raw") + " -> this image) or rebuild with --name " + name));
                    }
                } else if (candidates.size() > 1) {
                    findings.add(new Finding(FILE_NAME_MISMATCH, Severity.WARNING, cls.releaseDirectory(),
                            "the image has no extension-release." + name + " but " + candidates.size()
                                    + " other extension-release files", "keep exactly one, named after the image"));
                }
            }
            boolean both = classes.kind() == ClassLookup.Kind.BOTH;
            for (Finding f : ImageLinter.lint(releaseName != null ? releaseName : name, release, entries, cls)
                    .asList()) {
                // an image of both classes carries the other release file on purpose
                if (!(both && f.id().equals(RuleId.MISPLACED_RELEASE.id()))) {
                    findings.add(f);
                }
            }

            List<String> tops = new ArrayList<>();
            for (ExtensionClass c : classes.classes().isEmpty() ? List.of(cls) : classes.classes()) {
                tops.addAll(c.topLevels());
            }
            List<String> hierarchies = new ArrayList<>();
            for (String h : tops) {
                if (entries.stream().anyMatch(e -> e.path().startsWith(h + "/"))) {
                    hierarchies.add(h);
                }
            }
            int fileCount = (int) entries.stream().filter(e -> !e.path().isEmpty()).count();
            List<FileInfo> files = null;
            if (listFiles) {
                files = new ArrayList<>();
                for (TreeEntry e : entries) {
                    files.add(FileInfo.of(e));
                }
            }
            long size;
            String sha256;
            if (dir) {
                size = entries.stream().filter(e -> e.type() == EntryType.FILE).mapToLong(TreeEntry::size).sum();
                sha256 = DirectoryDigest.of(image);
            } else {
                size = Files.size(image);
                sha256 = tools.checksums().sha256(image);
            }
            DdiSummary ddi = fs instanceof DdiImageFs d ? DdiSummary.of(d.ddi()) : null;
            return new InspectReport(image.toAbsolutePath().normalize().toString(), format.jsonName(), size, sha256,
                    name, releaseName, releaseFile, release.fields(), hierarchies, fileCount, findings.sorted(), files,
                    ddi, classes.kind().name().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + image + ": " + AtomicFiles.describe(e)
                    + "; check the permissions");
        }
    }
}
