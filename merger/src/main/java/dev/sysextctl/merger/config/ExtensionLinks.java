package dev.sysextctl.merger.config;

import dev.sysextctl.core.compat.CompatibilityRules;
import dev.sysextctl.core.compat.Verdict;
import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ImageFormat;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.image.ImagePathResolver;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageAccessResult;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.core.image.access.ImageInspector;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.Mounter;
import dev.sysextctl.core.tools.Unsquashfs;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import dev.sysextctl.merger.discovery.Discovery;
import dev.sysextctl.merger.discovery.ImageDiscovery;
import dev.sysextctl.merger.discovery.ImageEntry;
import dev.sysextctl.merger.discovery.SymlinkPolicy;
import dev.sysextctl.merger.inspect.PrivateMounts;
import dev.sysextctl.merger.node.Node;
import dev.sysextctl.merger.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code enable}/{@code disable}: a symlink {@code /etc/extensions/NAME.raw} (or {@code NAME} for a directory or
 * block device; {@code /run/extensions} with {@code --runtime}) to the image, written under a temporary name and
 * renamed into place, relative to the link's directory so it resolves the same inside and outside the root.
 * Before linking, the image is read under the name it will have and checked as systemd will check it.
 */
public final class ExtensionLinks {
    private final Mounter mounter;
    private final Unsquashfs unsquashfs;

    public ExtensionLinks(Mounter mounter, Unsquashfs unsquashfs) {
        this.mounter = mounter;
        this.unsquashfs = unsquashfs;
    }

    /** What to enable. */
    public record EnableRequest(Path image, String name, boolean runtime, boolean force) {
    }

    public ConfigChange enable(Node node, EnableRequest req) throws SysextctlException {
        String onNode = pathOnNode(node, req.image());
        Path source = node.resolve(onNode);
        if (!Files.exists(source)) {
            throw new UsageException(req.image() + " does not exist" + (node.isHostRoot() ? "" : " (resolved inside "
                    + node.root() + " as " + onNode + ")") + "; give the path of an image file or directory");
        }
        ImageType type = typeOf(source, req.image());
        ImageFormat format = formatOf(source, type);
        if (format == ImageFormat.EMPTY || format == ImageFormat.UNKNOWN) {
            throw new RefusedException(req.image() + " is " + (format == ImageFormat.EMPTY ? "an empty file"
                    : "not a squashfs, erofs or file-system image") + ": systemd-sysext would abort every merge on it; "
                    + "rebuild it (sysextctl build)");
        }
        List<String> notes = new ArrayList<>();
        String name;
        // a DDI is read in userspace like the others (docs/ddi.md §5)
        try (ImageAccessResult.Opened img = new ImageAccess(unsquashfs, new PrivateMounts(mounter))
                .open(ImageRequest.entry(source, type, req.name(), AccessPolicy.USERSPACE_OR_TOOL)).opened()) {
            name = req.name() != null ? req.name() : nameInside(img.fs(), source, node, req.force());
            checkName(name);
            check(node, img.fs(), name, type, format, req.force(), notes);
        }
        checkName(name);
        String dirOnNode = req.runtime() ? ExtensionDirs.runtime(node) : ExtensionDirs.config(node);
        Path dir = ExtensionDirs.ensure(node, dirOnNode);
        String linkName = type == ImageType.RAW ? name + ImageNames.RAW_SUFFIX : name;
        Path link = dir.resolve(linkName);
        String previous = null;
        for (String other : ExtensionDirs.entryNames(node, name)) {
            Path p = dir.resolve(other);
            if (!ExtensionDirs.exists(p)) {
                continue;
            }
            String otherOnNode = dirOnNode + "/" + other;
            if (other.equals(linkName) && Files.isSymbolicLink(p)) {
                previous = readLink(p);
                continue;
            }
            if (Masks.isDevNullLink(p)) {
                throw new RefusedException(otherOnNode + " -> /dev/null disables '" + name + "'; remove that link "
                        + "first if you mean to enable it");
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Planner.isEmptyDirectory(p)) {
                throw new RefusedException("'" + name + "' is masked by " + otherOnNode + "; run 'sysextctl unmask "
                        + name + "' first");
            }
            throw new RefusedException(otherOnNode + " already provides '" + name + "'" + (Files.isSymbolicLink(p)
                    ? " (a link)" : " (not a link, so sysextctl will not replace it)") + "; disable or move it first");
        }
        String nodeDir = node.onNode(dir);
        String target = Path.of(nodeDir).relativize(Path.of(onNode)).toString();
        if (target.equals(previous)) {
            notes.add("already enabled");
            return new ConfigChange(ConfigAction.ENABLE, name, false, List.of(), List.of(), target, previous, notes);
        }
        AtomicFiles.symlink(link, target, previous != null);
        Discovery after = ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        Optional<ImageEntry> winner = after.winner(name);
        String linkOnNode = dirOnNode + "/" + linkName;
        if (winner.isPresent() && !winner.get().path().equals(linkOnNode)) {
            notes.add((Planner.isMask(winner.get()) ? "masked by " : "shadowed by ") + winner.get().path()
                    + ", which systemd reads first: '" + name + "' will not be merged from this link");
        }
        return new ConfigChange(ConfigAction.ENABLE, name, true, List.of(linkOnNode), List.of(), target, previous, notes);
    }

    public ConfigChange disable(Node node, String name, boolean runtime) throws SysextctlException {
        Masks.checkName(name);
        String dirOnNode = runtime ? ExtensionDirs.runtime(node) : ExtensionDirs.config(node);
        Path dir = node.resolve(dirOnNode);
        List<Path> links = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (String other : ExtensionDirs.entryNames(node, name)) {
            Path p = dir.resolve(other);
            if (!ExtensionDirs.exists(p)) {
                continue;
            }
            if (Masks.isDevNullLink(p)) {
                notes.add(dirOnNode + "/" + other + " -> /dev/null was not made by enable and is left as it is");
                continue;
            }
            if (!Files.isSymbolicLink(p)) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Planner.isEmptyDirectory(p)) {
                    notes.add(dirOnNode + "/" + other + " is a mask (use unmask), left as it is");
                    continue;
                }
                throw new RefusedException(dirOnNode + "/" + other + " is " + (Files.isDirectory(p,
                        LinkOption.NOFOLLOW_LINKS) ? "a directory" : "a regular file") + ", not a link made by enable; "
                        + "sysextctl does not delete images: move it away yourself, or 'sysextctl mask " + name + "'");
            }
            links.add(p);
        }
        List<String> removed = new ArrayList<>();
        for (Path p : links) {
            try {
                Files.delete(p);
                removed.add(dirOnNode + "/" + p.getFileName());
            } catch (IOException e) {
                throw new OperationFailedException("cannot remove " + dirOnNode + "/" + p.getFileName() + ": "
                        + AtomicFiles.describe(e));
            }
        }
        Discovery after = ImageDiscovery.discover(node, SymlinkPolicy.FOLLOW_INSIDE_ROOT);
        Optional<ImageEntry> still = after.winner(name);
        if (removed.isEmpty() && notes.isEmpty() && still.isEmpty()) {
            throw new NoSuchExtensionException(node.extensionClass(), "no image named '" + name + "' in "
                    + String.join(", ", after.searchDirs()) + otherClass(node, name).map(x -> "; a "
                    + node.extensionClass().other().id() + " named '" + name + "' is " + x + ": disable it with "
                    + "--class " + node.extensionClass().other().id() + " (--class all disables both)")
                    .orElse("; see 'sysextctl list' for the images on this node"));
        }
        if (removed.isEmpty()) {
            notes.add("'" + name + "' is not enabled in " + dirOnNode);
        }
        if (still.isPresent() && !Planner.isMask(still.get())) {
            notes.add("'" + name + "' is still provided by " + still.get().path() + "; use 'sysextctl mask " + name
                    + "' to keep it from being merged");
        }
        return new ConfigChange(ConfigAction.DISABLE, name, !removed.isEmpty(), List.of(), removed, null, null, notes);
    }

    /** Where the other class of extension has an image or entry named {@code name} on the node, if it has one. */
    private static Optional<String> otherClass(Node node, String name) {
        try {
            Node other = node.forClass(node.extensionClass().other(), java.util.Map.of());
            return ImageDiscovery.discover(other, SymlinkPolicy.FOLLOW_INSIDE_ROOT).winner(name)
                    .map(e -> Planner.isMask(e) ? "masked (" + e.path() + ")" : "in " + e.path());
        } catch (SysextctlException | RuntimeException e) {
            // no confexts before systemd 254, or their directories unreadable: no hint
            return Optional.empty();
        }
    }

    /**
     * The image's path as the node sees it. Under {@code --root R}, as with systemd's {@code --root}, an absolute
     * path names a path inside R ({@code /srv/store/x.raw} is {@code R/srv/store/x.raw}); a host path that lies
     * inside R keeps working. A path that exists nowhere is reported as missing, one that exists only outside R as
     * outside it.
     */
    static String pathOnNode(Node node, Path image) throws UsageException, OperationFailedException {
        Path abs = image.toAbsolutePath().normalize();
        if (node.isHostRoot()) {
            return abs.toString();
        }
        if (!abs.startsWith(node.root())) {
            try {
                Path parent = abs.getParent().toRealPath();
                abs = parent.resolve(abs.getFileName());
            } catch (IOException e) {
                // judged below
            }
        }
        if (abs.startsWith(node.root())) {
            return "/" + node.root().relativize(abs);
        }
        if (image.isAbsolute() && ExtensionDirs.exists(node.resolve(image.normalize().toString()))) {
            return image.normalize().toString();
        }
        if (!ExtensionDirs.exists(abs)) {
            throw new UsageException(image + " does not exist" + (image.isAbsolute() ? ", neither inside --root "
                    + node.root() + " nor on this host" : "") + "; give the path of an image file or directory");
        }
        throw new UsageException(image + " is outside --root " + node.root() + ", so a link to it would not "
                + "resolve on the node; copy it into the root first (e.g. " + node.root()
                + "/opt/extensions/NAME/), or give its path as the node sees it");
    }

    private static ImageType typeOf(Path source, Path given) throws UsageException {
        if (Files.isDirectory(source)) {
            return ImageType.DIRECTORY;
        }
        if (Files.isRegularFile(source)) {
            return ImageType.RAW;
        }
        try {
            int mode = (Integer) Files.getAttribute(source, "unix:mode");
            if ((mode & 0170000) == 0060000) {
                return ImageType.BLOCK;
            }
        } catch (IOException e) {
            // judged below
        }
        throw new UsageException(given + " is neither an image file, a directory nor a block device");
    }

    private static ImageFormat formatOf(Path source, ImageType type) throws OperationFailedException {
        if (type == ImageType.DIRECTORY) {
            return ImageFormat.DIRECTORY;
        }
        try {
            return ImageFormat.detect(source);
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + source + ": " + AtomicFiles.describe(e));
        }
    }

    /** The name the image's extension-release file carries, when there is exactly one. */
    private static String nameInside(ImageFileSystem fs, Path source, Node node, boolean force)
            throws SysextctlException {
        List<String> names = new ArrayList<>();
        String releaseDir = node.extensionClass().releaseDirectory();
        Optional<TreeEntry> dir = ImagePathResolver.resolve(fs, releaseDir);
        if (dir.isPresent() && dir.get().type() == EntryType.DIRECTORY) {
            for (TreeEntry e : fs.list(dir.get().path())) {
                if (e.name().startsWith(ReleaseKeys.EXTENSION_RELEASE_PREFIX)) {
                    names.add(e.name().substring(ReleaseKeys.EXTENSION_RELEASE_PREFIX.length()));
                }
            }
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        String fromFile = ImageNames.fromFileName(source.getFileName().toString(), node.systemdVersion());
        if (names.isEmpty()) {
            if (force) {
                return fromFile;
            }
            ExtensionClass other = node.extensionClass().other();
            Optional<TreeEntry> otherDir = ImagePathResolver.resolve(fs, other.releaseDirectory());
            if (otherDir.isPresent() && otherDir.get().type() == EntryType.DIRECTORY && fs.list(otherDir.get().path())
                    .stream().anyMatch(e -> e.name().startsWith(ReleaseKeys.EXTENSION_RELEASE_PREFIX))) {
                throw new RefusedException(source.getFileName() + " is a " + other.id() + " (it carries "
                        + other.releaseDirectory() + "/extension-release.NAME, not " + releaseDir + "/…), so "
                        + node.extensionClass().systemdTool() + " would not merge it; enable it with --class "
                        + other.id());
            }
            throw new RefusedException(source.getFileName() + " carries no " + releaseDir
                    + "/extension-release.NAME, so " + node.extensionClass().systemdTool() + " would not merge it; "
                    + "rebuild it with one (sysextctl build --name NAME), or use --force --name NAME");
        }
        if (names.contains(fromFile)) {
            return fromFile;
        }
        throw new UsageException(source.getFileName() + " carries several extension-release files ("
                + String.join(", ", names) + "); say which name to enable it under with --name");
    }

    private static void check(Node node, ImageFileSystem fs, String name, ImageType type, ImageFormat format,
            boolean force, List<String> notes) throws SysextctlException {
        ImageInspection.Readable in = ImageInspector.inspect(fs, name, type, format, node.systemdVersion(),
                node.hierarchies(), node.extensionClass());
        if (in.hierarchies().isEmpty()) {
            notes.add("the image has nothing under " + String.join(" or ", node.hierarchies())
                    + ": merging it changes no file");
        }
        if (force) {
            if (!in.release().found()) {
                notes.add("not checked (--force): the image has no extension-release." + name);
            }
            return;
        }
        if (!in.release().found()) {
            throw new RefusedException("the image's extension-release does not match the name '" + name + "' ("
                    + in.release().detail() + "); enable it under its own name (--name), or rebuild it with "
                    + "extension-release." + name);
        }
        if (in.forbiddenOsRelease()) {
            throw new RefusedException("the image contains usr/lib/os-release, which systemd-sysext refuses; remove "
                    + "it from the image");
        }
        Verdict v = CompatibilityRules.validate(name, in.release().release(), node.targetOs(), node.systemdVersion(),
                node.extensionClass());
        if (!v.accepted()) {
            throw new RefusedException("the image would be refused on this node: " + v.explanation() + " (systemd: "
                    + v.systemdMessage() + "); rebuild it for the node, or use --force");
        }
    }

    private static void checkName(String name) throws UsageException {
        if (!ImageNames.isValid(name)) {
            throw new UsageException("'" + name + "' is not a valid extension name: "
                    + ImageNames.invalidReason(name).orElse("") + "; choose another with --name");
        }
    }

    private static String readLink(Path p) throws OperationFailedException {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            throw new OperationFailedException("cannot read the link " + p + ": " + AtomicFiles.describe(e));
        }
    }
}
