package dev.sysextctl.builder;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.core.lint.Finding;
import java.util.List;
import java.util.Map;

/**
 * The build report of the contract ({@code --report FILE}, {@code --json}).
 *
 * @param output the absolute path written
 * @param sizeBytes the image file's size; for a directory, the sum of its files' sizes
 * @param sha256 the image file's digest; for a directory, {@link dev.sysextctl.builder.write.DirectoryDigest}
 *     (null for an image built {@link ImageBuilder#withoutChecksum() without one})
 * @param fileCount entries in the image of every type, the root directory excluded, the extension-release included
 * @param hierarchies {@code usr} and/or {@code opt} (a confext: {@code etc}): the hierarchies systemd would merge
 * @param lint every finding, errors first (a successful build has warnings at most)
 * @param tools native tool name → version, for each tool used
 * @param extensionClass {@code sysext} or {@code confext} (JSON {@code class})
 */
@JsonPropertyOrder({"name", "class", "output", "format", "compression", "sizeBytes", "sha256", "fileCount", "extensionRelease",
    "hierarchies", "lint", "tools", "durationMillis"})
public record BuildReport(String name, String output, String format, String compression, long sizeBytes,
        String sha256, int fileCount, Map<String, String> extensionRelease, List<String> hierarchies,
        List<Finding> lint, Map<String, String> tools, long durationMillis,
        @JsonProperty("class") ExtensionClass extensionClass) {
    public BuildReport {
        extensionClass = extensionClass == null ? ExtensionClass.SYSEXT : extensionClass;
    }

    /** The report of a sysext. */
    public BuildReport(String name, String output, String format, String compression, long sizeBytes,
            String sha256, int fileCount, Map<String, String> extensionRelease, List<String> hierarchies,
            List<Finding> lint, Map<String, String> tools, long durationMillis) {
        this(name, output, format, compression, sizeBytes, sha256, fileCount, extensionRelease, hierarchies, lint,
                tools, durationMillis, ExtensionClass.SYSEXT);
    }
}
