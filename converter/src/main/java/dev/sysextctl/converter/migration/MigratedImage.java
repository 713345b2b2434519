package dev.sysextctl.converter.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sysextctl.converter.layout.ConversionChange;
import dev.sysextctl.core.lint.Finding;
import java.util.List;
import java.util.Map;

/**
 * One image of the resolved profile set and what became of it.
 *
 * @param status {@code converted}, {@code missing} (no archive in any store), {@code failed} (the archive
 *     could not be converted or written), {@code superseded} (a later entry of the same name replaced it)
 * @param archive the archive as the node saw it ({@code /var/lib/torcx/store/docker:19.03.torcx.squashfs})
 * @param output the image file written, relative paths as given
 * @param provides what the image provides that Flatcar also ships ({@code docker}, {@code containerd})
 * @param findings the converter's findings and the image's lint
 * @param problem why it is not converted
 * @param exitCode the exit code the problem maps to (0 when converted)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MigratedImage(String name, String reference, String remote, String status, String archive,
        String archiveFile, String format, String output, Long sizeBytes, String sha256, String architecture,
        Map<String, String> extensionRelease, List<String> provides, List<ConversionChange> changes,
        List<Finding> findings, String problem, int exitCode) {
    public static final String CONVERTED = "converted";
    public static final String MISSING = "missing";
    public static final String FAILED = "failed";
    public static final String SUPERSEDED = "superseded";

    public boolean converted() {
        return CONVERTED.equals(status);
    }
}
