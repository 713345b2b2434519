package dev.sysextctl.provision.release;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code release} wrote.
 *
 * @param directory the release directory
 * @param images the images, in the order given
 * @param transferFiles the transfer file names written (one per extension)
 * @param noopFile the dummy transfer's file name
 * @param index the index file name ({@code SHA256SUMS})
 * @param notes things the user should know (printed as warnings)
 */
public record ReleaseResult(Path directory, List<Released> images, List<String> transferFiles, String noopFile,
        String index, List<String> notes) {

    /**
     * One image in the directory.
     *
     * @param alreadyPresent the directory already held this very file (same bytes), nothing was copied
     */
    public record Released(String name, String version, String architecture, String fileName, String sha256,
            long sizeBytes, boolean alreadyPresent) {
    }

    public ReleaseResult {
        images = List.copyOf(images);
        transferFiles = List.copyOf(transferFiles);
        notes = List.copyOf(notes);
    }
}
