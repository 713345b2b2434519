package dev.sysextctl.merger.discovery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sysextctl.core.image.ImageType;
import java.nio.file.Path;

/**
 * An image found in a search directory.
 *
 * @param name the image name, derived from the directory entry (never from a link's target)
 * @param type raw, directory or block
 * @param path the entry as the node sees it ({@code /etc/extensions/foo.raw})
 * @param searchDir the search directory it was found in ({@code /etc/extensions})
 * @param linkTarget the entry's symlink text when it is a symlink, else null
 * @param source where the image really is on this machine (the link chased inside the root)
 * @param order the position in discovery order (search dirs by priority, then readdir order)
 */
public record ImageEntry(String name, ImageType type, String path, String searchDir, String linkTarget,
        @JsonIgnore Path source, int order) {

    @JsonIgnore
    public boolean isLink() {
        return linkTarget != null;
    }

    /** The source path as a string, for JSON and messages. */
    public String sourcePath() {
        return source.toString();
    }
}
