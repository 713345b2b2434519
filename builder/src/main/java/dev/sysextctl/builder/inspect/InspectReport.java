package dev.sysextctl.builder.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ddi.DdiSummary;
import dev.sysextctl.core.lint.Finding;
import java.util.List;
import java.util.Map;

/**
 * What {@code inspect} tells about an image.
 *
 * @param name the extension name systemd derives from the file name ({@code hello-1.0-x86-64.raw} →
 *     {@code hello-1.0-x86-64})
 * @param releaseName the NAME of the image's {@code extension-release.NAME} (null when it has none or several)
 * @param releaseFile that file's path inside the image
 * @param fileCount entries of every type, the root excluded
 * @param files every path (only with {@code --files}; null otherwise)
 * @param ddi the partitions, verity root hash and signature state of a DDI (left out for other formats)
 * @param extensionClass which release files the image carries (JSON {@code class}): {@code sysext},
 *     {@code confext}, {@code both} or {@code none}
 */
@JsonPropertyOrder({"path", "class", "format", "sizeBytes", "sha256", "name", "releaseName", "releaseFile", "extensionRelease",
    "hierarchies", "fileCount", "lint", "files", "ddi"})
public record InspectReport(String path, String format, long sizeBytes, String sha256, String name,
        String releaseName, String releaseFile, Map<String, String> extensionRelease, List<String> hierarchies,
        int fileCount, List<Finding> lint, List<FileInfo> files,
        @JsonInclude(JsonInclude.Include.NON_NULL) DdiSummary ddi, @JsonProperty("class") String extensionClass) {
    public InspectReport {
        extensionClass = extensionClass == null ? "sysext" : extensionClass;
    }

    public InspectReport(String path, String format, long sizeBytes, String sha256, String name,
            String releaseName, String releaseFile, Map<String, String> extensionRelease, List<String> hierarchies,
            int fileCount, List<Finding> lint, List<FileInfo> files, DdiSummary ddi) {
        this(path, format, sizeBytes, sha256, name, releaseName, releaseFile, extensionRelease, hierarchies,
                fileCount, lint, files, ddi, null);
    }

    public InspectReport(String path, String format, long sizeBytes, String sha256, String name,
            String releaseName, String releaseFile, Map<String, String> extensionRelease, List<String> hierarchies,
            int fileCount, List<Finding> lint, List<FileInfo> files) {
        this(path, format, sizeBytes, sha256, name, releaseName, releaseFile, extensionRelease, hierarchies,
                fileCount, lint, files, null, null);
    }
}
