package dev.sysextctl.merger.config;

import dev.sysextctl.core.error.RefusedException;
import dev.sysextctl.core.error.SysextctlException;
import dev.sysextctl.core.fs.AtomicFiles;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.merger.node.Node;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Images installed the sysext-bakery way (docs/torcx.md §4.2): the file at {@code /opt/extensions/NAME/FILE} and the
 * link {@code /etc/extensions/NAME.raw} to that absolute node path (as Ignition and the bakery write it). Used for
 * images sysextctl made itself ({@code convert torcx-profile --enable}), which are not checked again here. The
 * image is copied under a temporary name and renamed, the link replaced atomically; paths are resolved inside the
 * root.
 */
public final class StoredImages {
    private StoredImages() {
    }

    /** An installed image: the extension name, the image and the link (node paths). */
    public record Stored(String name, String image, String link) {
    }

    /**
     * Refuses when {@code /etc/extensions/NAME.raw} exists and is not a link (a real image or directory that
     * {@link #install} would replace); call it for every name before installing any.
     */
    public static void checkLinkable(Node node, String name) throws SysextctlException {
        Path link = node.resolve(ExtensionConfig.ETC_DIR).resolve(name + ".raw");
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            throw new RefusedException(ExtensionConfig.enableLink(name) + " in " + node.root() + " is a "
                    + (Files.isDirectory(link, LinkOption.NOFOLLOW_LINKS) ? "directory" : "regular file")
                    + ", not a link; nothing was installed: remove it or convert with another --name");
        }
    }

    /** Copies {@code image} to {@code /opt/extensions/NAME/FILE} (0644) and links {@code /etc/extensions/NAME.raw} to it. */
    public static Stored install(Node node, String name, Path image, String fileName) throws SysextctlException {
        String nodeImage = ExtensionConfig.storePath(name, fileName);
        Path target = node.resolve(ExtensionConfig.storeDirectory(name)).resolve(fileName);
        AtomicFiles.write(target, out -> Files.copy(image, out), true, PosixFilePermissions.fromString("rw-r--r--"));
        Path dir = ExtensionDirs.ensure(node, ExtensionConfig.ETC_DIR);
        AtomicFiles.symlink(dir.resolve(name + ".raw"), nodeImage, true);
        return new Stored(name, nodeImage, ExtensionConfig.enableLink(name));
    }
}
