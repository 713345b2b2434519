package dev.sysextctl.provision.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.image.ExtensionReleaseLocator;
import dev.sysextctl.core.image.ImageFileSystem;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.core.image.ImagePathResolver;
import dev.sysextctl.core.image.ReleaseLookup;
import dev.sysextctl.core.image.SystemdVersion;
import dev.sysextctl.core.image.access.AccessPolicy;
import dev.sysextctl.core.image.access.ImageAccess;
import dev.sysextctl.core.image.access.ImageAccessResult;
import dev.sysextctl.core.image.access.ImageRequest;
import dev.sysextctl.core.release.ReleaseFile;
import dev.sysextctl.core.release.ReleaseKeys;
import dev.sysextctl.core.tools.NativeTools;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads what provisioning needs from an image file: the extension name, version, architecture and hashes.
 *
 * <p>The name comes from the file name the way systemd derives it ({@code docker.raw} → {@code docker}); a
 * file in the sysext-bakery naming {@code NAME-VERSION-ARCH.raw} (what {@code build} and {@code release} write)
 * is recognised when its VERSION and ARCH are the image's own {@code SYSEXT_VERSION_ID} and
 * {@code ARCHITECTURE}. The image must then carry {@code extension-release.NAME} (or the one fallback file
 * systemd 252 would accept under that name): otherwise it is refused, because on the node it would be linked as
 * {@code /etc/extensions/NAME.raw} and systemd-sysext would fail with "No medium found".
 *
 * <p>The class comes from the release file the image carries: {@code etc/extension-release.d/} alone makes a
 * confext (read with {@code CONFEXT_VERSION_ID}), anything else a sysext; an image with both asks for
 * {@code --class}.
 */
public final class ExtensionImageReader {
    private final NativeTools tools;

    public ExtensionImageReader(NativeTools tools) {
        this.tools = tools;
    }

    public ExtensionImage read(Path image) throws OperationFailedException, UsageException, RefusedException {
        return read(image, null);
    }

    /** Reads {@code image} as an extension of class {@code wanted}, or of the class its release file tells (null). */
    public ExtensionImage read(Path image, ExtensionClass wanted)
            throws OperationFailedException, UsageException, RefusedException {
        if (!Files.exists(image)) {
            throw new UsageException(image + " does not exist; give the path of an image file");
        }
        if (!Files.isRegularFile(image)) {
            throw new UsageException(image + " is not a regular file; provisioning distributes image files, "
                    + "build one with 'sysextctl build SOURCE --name NAME'");
        }
        String fileName = image.getFileName().toString();
        if (!fileName.endsWith(ImageNames.RAW_SUFFIX)) {
            throw new RefusedException(image + ": systemd-sysext only picks up image files ending in .raw; "
                    + "rename it to NAME.raw");
        }
        String stem = ImageNames.fromFileName(fileName, SystemdVersion.V252);
        ImageRequest request = ImageRequest.file(image, AccessPolicy.USERSPACE_OR_TOOL);
        try (ImageAccessResult.Opened opened = new ImageAccess(tools).open(request).opened()) {
            ImageFileSystem fs = opened.fs();
            ExtensionClass cls = wanted != null ? wanted : detect(fs, image);
            NameAndRelease found = resolveName(fs, image, stem, cls);
            ReleaseFile release = found.lookup().release();
            String versionKey = cls.versionKey();
            String version = release.has(versionKey) ? release.get(versionKey) : null;
            String arch = release.has(ReleaseKeys.ARCHITECTURE) ? release.get(ReleaseKeys.ARCHITECTURE) : null;
            Digests d = digest(image);
            return new ExtensionImage(image, found.name(), found.lookup().path(), emptyToNull(version),
                    emptyToNull(arch), d.size(), d.sha256(), d.sha512(), cls);
        }
    }

    /** A confext when only {@code etc/extension-release.d} holds release files, else a sysext. */
    private static ExtensionClass detect(ImageFileSystem fs, Path image)
            throws OperationFailedException, UsageException {
        boolean sysext = hasReleaseFiles(fs, ExtensionClass.SYSEXT);
        boolean confext = hasReleaseFiles(fs, ExtensionClass.CONFEXT);
        if (sysext && confext) {
            throw new UsageException(image + " carries both " + ExtensionClass.SYSEXT.releaseDirectory() + " and "
                    + ExtensionClass.CONFEXT.releaseDirectory() + "; give --class sysext or --class confext");
        }
        return confext ? ExtensionClass.CONFEXT : ExtensionClass.SYSEXT;
    }

    private static boolean hasReleaseFiles(ImageFileSystem fs, ExtensionClass c) throws OperationFailedException {
        Optional<TreeEntry> dir = ImagePathResolver.resolve(fs, c.releaseDirectory());
        if (dir.isEmpty() || dir.get().type() != EntryType.DIRECTORY) {
            return false;
        }
        for (TreeEntry e : fs.list(dir.get().path())) {
            if (e.name().startsWith(ReleaseKeys.EXTENSION_RELEASE_PREFIX)) {
                return true;
            }
        }
        return false;
    }

    /** The release file of {@code name} for class {@code c}, as systemd 252 finds a sysext's. */
    private static ReleaseLookup locate(ImageFileSystem fs, String name, ExtensionClass c)
            throws OperationFailedException {
        return ExtensionReleaseLocator.locate(fs, name, SystemdVersion.V252, c);
    }

    private record NameAndRelease(String name, ReleaseLookup lookup) {
    }

    private static NameAndRelease resolveName(ImageFileSystem fs, Path image, String stem, ExtensionClass cls)
            throws OperationFailedException, RefusedException {
        Optional<String> invalid = ImageNames.invalidReason(stem);
        if (invalid.isPresent()) {
            throw new RefusedException(image + ": '" + stem + "' is not a valid image name (" + invalid.get()
                    + "); rename the file");
        }
        ReleaseLookup direct = locate(fs, stem, cls);
        if (direct.found()) {
            return new NameAndRelease(stem, direct);
        }
        // NAME-VERSION-ARCH.raw: the name inside, with its own version and architecture appended.
        List<String> inside = new ArrayList<>();
        String versionKey = cls.versionKey();
        for (TreeEntry e : fs.list(cls.releaseDirectory())) {
            if (!e.name().startsWith(ReleaseKeys.EXTENSION_RELEASE_PREFIX)
                    || (e.type() != EntryType.FILE && e.type() != EntryType.SYMLINK)) {
                continue;
            }
            String name = e.name().substring(ReleaseKeys.EXTENSION_RELEASE_PREFIX.length());
            inside.add(name);
            if (!stem.startsWith(name + "-") || !ImageNames.isValid(name)) {
                continue;
            }
            ReleaseLookup lookup = locate(fs, name, cls);
            if (!lookup.found()) {
                continue;
            }
            String v = lookup.release().get(versionKey);
            String a = lookup.release().get(ReleaseKeys.ARCHITECTURE);
            if (!v.isEmpty() && !a.isEmpty()
                    && stem.equals(name + "-" + v + "-" + a)) {
                return new NameAndRelease(name, lookup);
            }
        }
        String fix = inside.size() == 1
                ? "rename the file to " + inside.get(0) + ".raw (or " + inside.get(0)
                        + "-VERSION-ARCH.raw with the image's own " + versionKey + " and ARCHITECTURE), or rebuild "
                        + "it with --name " + stem
                : "rebuild it with 'sysextctl build … --name " + stem + "'";
        String what = inside.isEmpty()
                ? "carries no " + cls.releaseDirectory() + "/extension-release.* file"
                : "carries extension-release." + String.join(", extension-release.", inside)
                        + " but no extension-release." + stem;
        throw new RefusedException(image + " " + what + ": linked as " + ExtensionConfig.enableLink(cls, stem)
                + " on a node, " + cls.systemdTool() + " would refuse it (No medium found); " + fix);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The size and SHA-256/SHA-512 of a file, read once. */
    public record Digests(long size, String sha256, String sha512) {
    }

    public static Digests digest(Path file) throws OperationFailedException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest s256 = MessageDigest.getInstance("SHA-256");
            MessageDigest s512 = MessageDigest.getInstance("SHA-512");
            byte[] buf = new byte[1 << 16];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0;) {
                s256.update(buf, 0, n);
                s512.update(buf, 0, n);
                size += n;
            }
            HexFormat hex = HexFormat.of();
            return new Digests(size, hex.formatHex(s256.digest()), hex.formatHex(s512.digest()));
        } catch (IOException e) {
            throw new OperationFailedException("cannot read " + file + ": " + e.getMessage()
                    + "; check the permissions");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
