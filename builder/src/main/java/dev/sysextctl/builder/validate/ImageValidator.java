package dev.sysextctl.builder.validate;

import dev.sysextctl.core.compat.CompatibilityRules;
import dev.sysextctl.core.compat.TargetOs;
import dev.sysextctl.core.compat.Verdict;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ClassLookup;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.image.ImagePathResolver;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageAccessResult;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.NativeTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Would systemd-sysext accept an image? Applies, in systemd's order, the image-level rules of
 * docs/compatibility.md §1.3 (discovery: suffix and name), §2.1 (reading the metadata: unreadable files, raw images
 * without a usable extension-release, ambiguous fallbacks), §3 (the forbidden {@code usr/lib/os-release}) and
 * then {@link CompatibilityRules} (§2.4: scope, architecture, ID, SYSEXT_LEVEL, VERSION_ID), for 252 and for the
 * differences of 257+. An image is checked as the class it carries a release file of (a sysext when it carries both
 * or none), or as the class asked for; a confext by systemd-confext's rules (§2.7).
 */
public final class ImageValidator {
    private static final String FILE_SUFFIX = RuleId.FILE_SUFFIX.id();
    private static final String INVALID_NAME = RuleId.INVALID_NAME.id();
    private static final String NOT_AN_IMAGE = RuleId.NOT_AN_IMAGE.id();
    private static final String NO_RELEASE = RuleId.NO_RELEASE.id();
    private static final String RELEASE_NOT_UNIQUE = RuleId.RELEASE_NOT_UNIQUE.id();
    private static final String OS_RELEASE_IN_IMAGE = RuleId.OS_RELEASE_IN_IMAGE.id();
    private static final String UNSUPPORTED_FORMAT = RuleId.UNSUPPORTED_FORMAT.id();
    /** The image could not be read (corrupt, crafted, an oversized release file, an I/O error): nothing checked. */
    private static final String UNREADABLE = RuleId.UNREADABLE.id();

    private static final String FORBIDDEN_252 = "Extension image contains /usr/lib/os-release file, which is not "
            + "allowed (it may carry /etc/os-release), refusing.";

    private final NativeTools tools;

    public ImageValidator(NativeTools tools) {
        this.tools = tools;
    }

    /**
     * @param image the image file or directory
     * @param as the name it will have on the node: an entry name ({@code docker.raw}) or an image name
     *     ({@code docker}); null to use the file name
     */
    public ImageVerdict validate(Path image, String as, TargetOs target, SystemdVersion v) throws SysextctlException {
        return validate(image, as, target, v, null);
    }

    /**
     * @param requested the class to check the image as ({@code validate --class}); null for the class the image
     *     carries a release file of (a sysext when it carries both or none)
     */
    public ImageVerdict validate(Path image, String as, TargetOs target, SystemdVersion v, ExtensionClass requested)
            throws SysextctlException {
        ImageVerdict x = discover(image, as, target, v, requested);
        return requested != null && x.extensionClass() != requested ? x.withClass(requested) : x;
    }

    private ImageVerdict discover(Path image, String as, TargetOs target, SystemdVersion v, ExtensionClass requested)
            throws SysextctlException {
        if (!Files.exists(image)) {
            throw new UsageException(image + " does not exist; give the path of an image file or directory");
        }
        String shown = image.toString();
        ImageType type = Files.isDirectory(image) ? ImageType.DIRECTORY
                : Files.isRegularFile(image) ? ImageType.RAW : isBlockDevice(image) ? ImageType.BLOCK : null;
        String fileName = image.toAbsolutePath().normalize().getFileName().toString();
        if (type == null) {
            return new ImageVerdict(shown, null, false, NOT_AN_IMAGE, "", fileName + " is neither a regular file, "
                    + "a directory nor a block device; systemd skips it", Effect.NOT_DISCOVERED, null);
        }
        String entry = entryName(fileName, as, type);
        String name = ExtensionClass.SYSEXT.imageName(entry, type, v).orElse(null);
        if (name == null) {
            if (type == ImageType.RAW && !entry.endsWith(ImageNames.RAW_SUFFIX)) {
                return new ImageVerdict(shown, null, false, FILE_SUFFIX, "", "systemd only considers regular files "
                        + "named *.raw (case-sensitive); '" + entry + "' is never discovered. Name the file or its "
                        + "link NAME.raw", Effect.NOT_DISCOVERED, null);
            }
            String pretty = type == ImageType.RAW ? stripSuffix(entry, v) : entry;
            return new ImageVerdict(shown, null, false, INVALID_NAME, "", "'" + pretty + "' is not a valid image "
                    + "name: " + ImageNames.invalidReason(pretty).orElse("invalid") + "; systemd skips it",
                    Effect.NOT_DISCOVERED, null);
        }
        boolean raw = type != ImageType.DIRECTORY;
        // What the file holds is told by the image access layer (docs/cli.md §1.5), which opens it in the same step.
        try (ImageAccessResult access = new ImageAccess(tools).open(ImageRequest.file(image,
                AccessPolicy.USERSPACE_OR_TOOL))) {
            if (access instanceof ImageAccessResult.Unreadable u && u.readFailed()) {
                return new ImageVerdict(shown, name, false, UNREADABLE, "", u.reason(), Effect.UNKNOWN, null);
            }
            ImageFormat format = access.format();
            switch (raw ? format : ImageFormat.DIRECTORY) {
                case EMPTY, UNKNOWN -> {
                    return new ImageVerdict(shown, name, false, NOT_AN_IMAGE, "Failed to read metadata for image "
                            + name + ": Package not installed", (format == ImageFormat.EMPTY ? "the file is empty"
                            : "the file holds no file system systemd can read") + "; systemd-sysext merge then fails "
                            + "as a whole (exit 1) and merges nothing. Remove or rebuild it", Effect.MERGE_FAILS,
                            null);
                }
                case EXT4, BTRFS -> {
                    return new ImageVerdict(shown, name, false, UNSUPPORTED_FORMAT, "", "a " + format.jsonName()
                            + " image cannot be read without mounting it; nothing was checked (use systemd-dissect)",
                            Effect.UNKNOWN, null);
                }
                default -> {
                    // squashfs, erofs, DDIs (the file system in the root partition, docs/ddi.md §5), directories
                }
            }
            try {
                // systemd-confext 255+ names NAME.confext.raw NAME, where systemd-sysext keeps NAME.confext
                // (docs/compatibility.md §1.3): checked as a confext, the image has the confext's name
                String confextName = requested == ExtensionClass.SYSEXT ? null : ExtensionClass.CONFEXT
                        .imageName(entry, type, v).filter(n -> !n.equals(name)).orElse(null);
                if (confextName != null) {
                    ImageVerdict asConfext = check(access.opened(), as, shown, confextName, raw, target, v,
                            requested);
                    if (asConfext.extensionClass() == ExtensionClass.CONFEXT) {
                        return asConfext;
                    }
                }
                return check(access.opened(), as, shown, name, raw, target, v, requested);
            } catch (OperationFailedException e) {
                return new ImageVerdict(shown, name, false, UNREADABLE, "", e.getMessage(), Effect.UNKNOWN, null);
            }
        }
    }

    private ImageVerdict check(ImageAccessResult.Opened opened, String as, String shown, String name, boolean raw,
            TargetOs target, SystemdVersion v, ExtensionClass requested) throws SysextctlException {
        Path image = opened.request().path();
        ImageFileSystem fs = opened.fs();
        boolean forbidden = ExtensionReleaseLocator.hasForbiddenOsRelease(fs);
        boolean etcOsRelease = ImagePathResolver.resolve(fs, "etc/os-release").isPresent();
        ClassLookup classes = ExtensionReleaseLocator.classify(fs, name, v);
        ExtensionClass cls = requested != null ? requested
                : classes.kind() == ClassLookup.Kind.CONFEXT ? ExtensionClass.CONFEXT : ExtensionClass.SYSEXT;
        String tool = cls.systemdTool();
        if (!cls.supportedBy(v)) {
            return new ImageVerdict(shown, name, false, RuleId.CONFEXT_UNSUPPORTED.id(), "", "systemd " + v
                    + " has no " + tool + " (systemd " + cls.firstSystemd() + " and later merge confexts), so "
                    + "this confext is never merged there; give --systemd-version " + cls.firstSystemd()
                    + " or later when the target runs a newer systemd", Effect.NOT_DISCOVERED, null, cls);
        }
        ReleaseLookup lookup = classes.of(cls);
        ReleaseFile release = lookup.found() ? lookup.release() : ReleaseFile.EMPTY;
        // systemd 254+ reads a raw image's metadata for both classes: one that carries the other class's release
        // file is read, then ignored for want of release data (measured on 257, docs/compatibility.md §2.7)
        boolean otherClass = ExtensionClass.CONFEXT.supportedBy(v) && classes.of(cls.other()).found();

        if (raw && !lookup.found() && !(forbidden || etcOsRelease || otherClass)) {
            String installedAs = releaseName(lookup, name);
            if (as == null && installedAs != null) {
                // A versioned file name (NAME-VERSION-ARCH.raw, as build and sysupdate name them) is installed
                // as NAME.raw (enable, sysupdate's CurrentSymlink): judge it under that name.
                return validate(image, installedAs + ImageNames.RAW_SUFFIX, target, v, requested);
            }
            if (lookup.status() == ReleaseLookup.Status.NOT_UNIQUE) {
                return new ImageVerdict(shown, name, false, RELEASE_NOT_UNIQUE, "Failed to read metadata for "
                        + "image " + name + ": Name not unique on network", "no extension-release." + name
                        + " and " + lookup.detail() + "; " + tool + " merge then fails as a whole (exit 1). Keep "
                        + "one file, named extension-release." + name, Effect.MERGE_FAILS, null, cls);
            }
            return new ImageVerdict(shown, name, false, NO_RELEASE, "Failed to read metadata for image " + name
                    + ": No medium found", why(lookup, name, raw) + " Until then " + tool + " merge fails as "
                    + "a whole (exit 1) and merges nothing.", Effect.MERGE_FAILS, null, cls);
        }
        if (forbidden) {
            if (v.refusesForbiddenContentAtMetadata()) {
                return raw
                        ? new ImageVerdict(shown, name, false, OS_RELEASE_IN_IMAGE, "Failed to mount image: No "
                                + "medium found", "the image contains usr/lib/os-release; systemd " + v
                                + " skips it and merges the others. Remove usr/lib/os-release", Effect.IGNORED,
                                lookup.path())
                        : new ImageVerdict(shown, name, false, OS_RELEASE_IN_IMAGE, "Failed to read metadata for "
                                + "image " + name + ": No medium found", "the directory contains "
                                + "usr/lib/os-release; systemd " + v + " then fails as a whole (exit 1). Remove it",
                                Effect.MERGE_FAILS, lookup.path(), cls);
            }
            return new ImageVerdict(shown, name, false, OS_RELEASE_IN_IMAGE, FORBIDDEN_252, "the image contains "
                    + "usr/lib/os-release; systemd-sysext " + v + " then abandons the whole merge: nothing is "
                    + "merged, not even the compatible images, and it still exits 0 (--force merges it anyway). "
                    + "Remove usr/lib/os-release from the image", Effect.MERGE_ABORTED, lookup.path(), cls);
        }
        Verdict verdict = CompatibilityRules.validate(name, release, target, v, cls);
        String explanation = verdict.explanation();
        if (!lookup.found() && verdict.rule().equals(RuleId.NO_RELEASE_DATA.id())) {
            explanation = otherClass && !lookup.status().equals(ReleaseLookup.Status.NOT_UNIQUE)
                    ? "the image is a " + cls.other().id() + " (it carries " + classes.of(cls.other()).path()
                            + "), not a " + cls.id() + ": " + tool + " ignores it. Check it with --class "
                            + cls.other().id() + ", or build it with --class " + cls.id()
                    : why(lookup, name, raw) + " Until then systemd ignores this image.";
        }
        return new ImageVerdict(shown, name, verdict.accepted(), verdict.rule(), verdict.systemdMessage(),
                explanation, verdict.accepted() ? Effect.MERGED : Effect.IGNORED, lookup.path(), cls);
    }

    /**
     * The name the image is released under when its file name is versioned: the one extension-release.NAME it
     * carries, when the file name starts with NAME- ({@code hello-1.0-x86-64} carrying extension-release.hello);
     * else null.
     */
    static String releaseName(ReleaseLookup lookup, String name) {
        List<String> seen = lookup.candidates();
        if (lookup.status() == ReleaseLookup.Status.NOT_UNIQUE || seen.size() != 1) {
            return null;
        }
        String other = seen.get(0).substring(seen.get(0).lastIndexOf('/') + 1
                + ReleaseKeys.EXTENSION_RELEASE_PREFIX.length());
        return !other.isEmpty() && name.startsWith(other + "-") && ImageNames.isValid(other) ? other : null;
    }

    /** Why no extension-release was found, and what to do, in whole sentences. */
    private static String why(ReleaseLookup lookup, String name, boolean raw) {
        List<String> seen = lookup.candidates();
        if (lookup.status() != ReleaseLookup.Status.NOT_UNIQUE && seen.size() == 1) {
            String other = seen.get(0).substring(seen.get(0).lastIndexOf('/') + 1
                    + ReleaseKeys.EXTENSION_RELEASE_PREFIX.length());
            return "systemd looks for extension-release." + name + " (the name comes from the file name), but the "
                    + "image carries extension-release." + other + ". Enable it as " + other + (raw ? ".raw" : "")
                    + " (check with --as " + other + ") or rebuild it with --name " + name + ".";
        }
        return "The image has no usable extension-release: " + lookup.detail() + ".";
    }

    /** The directory-entry name the image has on the node. */
    static String entryName(String fileName, String as, ImageType type) {
        if (as == null || as.isEmpty()) {
            return fileName;
        }
        if (type == ImageType.RAW && !as.endsWith(ImageNames.RAW_SUFFIX)) {
            return as + ImageNames.RAW_SUFFIX;
        }
        return as;
    }

    private static String stripSuffix(String entry, SystemdVersion v) {
        if (v.stripsSysextSuffix() && entry.endsWith(ImageNames.SYSEXT_RAW_SUFFIX)) {
            return entry.substring(0, entry.length() - ImageNames.SYSEXT_RAW_SUFFIX.length());
        }
        return entry.substring(0, entry.length() - ImageNames.RAW_SUFFIX.length());
    }

    private static boolean isBlockDevice(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            return (mode & 0170000) == 0060000;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What a {@code systemd-sysext merge} with all these images would do, in one line; with confexts among them, what
     * {@code systemd-confext merge} would do with those too ("; " between the two).
     */
    public static String mergeOutcome(List<ImageVerdict> verdicts, SystemdVersion v) {
        return mergeOutcome(verdicts, v, v);
    }

    /**
     * The same, the sysexts judged by {@code sysext}'s rules and the confexts by {@code confext}'s (validate's
     * default for a confext whose target's systemd is not known is {@link SystemdVersion#CONFEXT_DEFAULT}).
     */
    public static String mergeOutcome(List<ImageVerdict> verdicts, SystemdVersion sysext, SystemdVersion confext) {
        List<String> out = new ArrayList<>();
        for (ExtensionClass c : ExtensionClass.values()) {
            List<ImageVerdict> of = verdicts.stream().filter(x -> x.extensionClass() == c).toList();
            if (!of.isEmpty() || c == ExtensionClass.SYSEXT && verdicts.isEmpty()) {
                SystemdVersion v = c == ExtensionClass.CONFEXT ? confext : sysext;
                out.add(c.supportedBy(v) ? mergeOutcome(of, v, c.systemdTool()) : "systemd " + v + " has no "
                        + c.systemdTool() + ": no " + c.id() + " is merged there");
            }
        }
        return String.join("; ", out);
    }

    private static String mergeOutcome(List<ImageVerdict> verdicts, SystemdVersion v, String tool) {
        for (ImageVerdict x : verdicts) {
            if (x.effect() == Effect.MERGE_FAILS) {
                return tool + " " + v + " merge would fail (exit 1) and merge nothing, because of " + x.image();
            }
        }
        for (ImageVerdict x : verdicts) {
            if (x.effect() == Effect.MERGE_ABORTED) {
                return tool + " " + v + " merge would merge nothing (and exit 0), because of " + x.image();
            }
        }
        for (ImageVerdict x : verdicts) {
            if (x.effect() == Effect.REFUSED_BY_POLICY) {
                return "the image policy refuses " + x.image() + " (systemd-sysext 257 then merges nothing, exit 1; "
                        + "sysextctl's native engine skips it): " + x.explanation();
            }
        }
        List<String> merged = verdicts.stream().filter(ImageVerdict::accepted).map(ImageVerdict::name).toList();
        long ignored = verdicts.stream().filter(x -> x.effect() == Effect.IGNORED).count();
        if (merged.isEmpty()) {
            return tool + " " + v + " merge would find no suitable extension"
                    + (ignored > 0 ? " (" + ignored + " ignored due to incompatible version)" : "");
        }
        return tool + " " + v + " merge would merge " + String.join(", ", merged)
                + (ignored > 0 ? " (" + ignored + " ignored)" : "");
    }
}
