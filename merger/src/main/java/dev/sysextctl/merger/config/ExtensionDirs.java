package dev.sysextctl.merger.config;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.core.image.ExtensionConfig;
import dev.sysextctl.core.image.ImageNames;
import dev.sysextctl.merger.node.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** The configuration directories {@code enable}/{@code mask} write to, and the entries that name an image. */
final class ExtensionDirs {
    static final String ETC = ExtensionConfig.ETC_DIR;
    static final String RUN = ExtensionConfig.RUN_DIR;

    private ExtensionDirs() {
    }

    /**
     * Where enable links and mask writes for the node's class: {@code /etc/extensions}, or {@code /var/lib/confexts}
     * for confexts ({@link ExtensionConfig#configDirectory}).
     */
    static String config(Node node) {
        return ExtensionConfig.configDirectory(node.extensionClass());
    }

    /** Where {@code --runtime} links: {@code /run/extensions} or {@code /run/confexts}. */
    static String runtime(Node node) {
        return ExtensionConfig.runtimeDirectory(node.extensionClass());
    }

    /** The directory (resolved inside the root), created 0755 when missing. */
    static Path ensure(Node node, String dir) throws OperationFailedException {
        Path p = node.resolve(dir);
        try {
            Files.createDirectories(p, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            return p;
        } catch (IOException e) {
            throw new OperationFailedException("cannot create " + dir + " in " + node.root() + ": " + e.getMessage()
                    + "; run as root or check that the root is writable");
        }
    }

    /** The entry names in a search directory that would be image {@code name}. */
    static List<String> entryNames(Node node, String name) {
        List<String> out = new ArrayList<>(List.of(name + ImageNames.RAW_SUFFIX, name));
        if (node.systemdVersion().stripsSysextSuffix()) {
            out.add(name + node.extensionClass().rawSuffix());
        }
        return out;
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
