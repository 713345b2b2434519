package dev.sysextctl.converter.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.sysextctl.core.lint.Finding;
import java.nio.file.Path;
import java.util.List;

/** An image file an {@link ImageWriter} wrote, with its size, sha256 and lint findings. */
public record WrittenImage(@JsonIgnore Path path, long sizeBytes, String sha256, List<Finding> lint) {
    public WrittenImage {
        lint = List.copyOf(lint);
    }
}
