package dev.sysextctl.composer;

import dev.sysextctl.builder.BuildFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Composer#compose} merges and where it writes.
 *
 * @param base the base: an image or directory whose top holds {@code usr/} (and maybe {@code opt/})
 * @param extensions the extension images, in any order (they are layered by name)
 * @param output the composed image
 * @param format squashfs, erofs or directory
 * @param osRelease the os-release the extensions are checked against; null for the base's own
 * @param force merge incompatible extensions too (as {@code merge --force}) and replace an existing output
 */
public record ComposeRequest(Path base, List<Path> extensions, Path output, BuildFormat format, Path osRelease,
        boolean force) {
    public ComposeRequest {
        extensions = List.copyOf(extensions);
        format = format == null ? BuildFormat.SQUASHFS : format;
    }
}
