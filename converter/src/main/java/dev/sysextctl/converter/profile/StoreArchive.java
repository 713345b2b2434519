package dev.sysextctl.converter.profile;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sysextctl.converter.archive.TorcxArchiveFormat;
import java.nio.file.Path;

/**
 * An archive found in a torcx store: the image it provides, its format, where the node sees it
 * ({@code nodePath}, e.g. {@code /var/lib/torcx/store/docker:19.03.torcx.squashfs}) and where sysextctl reads it
 * ({@code file}, the same path inside {@code --root}, symlinks resolved).
 */
public record StoreArchive(String name, String reference, TorcxArchiveFormat format, String nodePath,
        String store, @JsonIgnore Path file) {
    @com.fasterxml.jackson.annotation.JsonProperty("file")
    public String fileName() {
        return file.toString();
    }
}
