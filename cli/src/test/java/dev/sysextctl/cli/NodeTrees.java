package dev.sysextctl.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The small trees the in-process CLI tests start from: a Debian 12 root, directory images, a build source. */
final class NodeTrees {
    private NodeTrees() {
    }

    /** {@code dir} as a node's root: etc/os-release (ID=debian, VERSION_ID=12) and usr/bin. */
    static Path debianRoot(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/os-release"), "ID=debian\nVERSION_ID=12\n");
        Files.createDirectories(dir.resolve("usr/bin"));
        return dir;
    }

    /** A directory image {@code root/dir/name} with the extension-release {@code release} and one file. */
    static Path directoryImage(Path root, String dir, String name, String release) throws Exception {
        Path d = root.resolve(dir).resolve(name);
        Files.createDirectories(d.resolve("usr/lib/extension-release.d"));
        Files.writeString(d.resolve("usr/lib/extension-release.d/extension-release." + name), release);
        Files.createDirectories(d.resolve("usr/share/" + name));
        Files.writeString(d.resolve("usr/share/" + name + "/f"), name);
        return d;
    }

    /** A build source {@code dir} holding usr/bin/hello. */
    static Path helloTree(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("usr/bin"));
        Files.writeString(dir.resolve("usr/bin/hello"), "#!/bin/sh\necho hello\n");
        return dir;
    }
}
