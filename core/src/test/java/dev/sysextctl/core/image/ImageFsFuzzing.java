package dev.sysextctl.core.image;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.tree.EntryType;
import dev.sysextctl.core.tree.TreeEntry;

/** What the image fuzz targets do with an opened image: everything inspect and validate ask of it. */
final class ImageFsFuzzing {
    private ImageFsFuzzing() {
    }

    /**
     * Walks the image, lists every directory, reads every regular file and every entry's extended attributes. The
     * reader may refuse the image with {@link OperationFailedException} (its typed failure) anywhere; any other
     * throwable propagates and is a finding.
     */
    static void exercise(ImageFileSystem fs) {
        try (fs) {
            // validate's lookup (symlinks followed inside the image, the strict-xattr fallback) ...
            ExtensionReleaseLocator.locate(fs, "hello", SystemdVersion.V252);
            fs.lstat("usr/lib/os-release");
            // ... and inspect --files
            for (TreeEntry e : fs.walk()) {
                if (e.type() == EntryType.DIRECTORY) {
                    fs.list(e.path());
                } else if (e.type() == EntryType.FILE && e.size() <= 1 << 20) {
                    fs.read(e.path());
                }
                fs.xattrs(e.path());
            }
        } catch (OperationFailedException expected) {
            // refused as unreadable: the contract
        }
    }
}
