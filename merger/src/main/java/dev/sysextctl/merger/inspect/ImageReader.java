package dev.sysextctl.merger.inspect;

import dev.sysextctl.core.error.OperationFailedException;
import dev.sysextctl.merger.discovery.ImageEntry;
import java.util.List;
import java.util.Map;

/** Reads images' metadata (by mounting them, or without root where the format allows). */
public interface ImageReader {
    Map<ImageEntry, ImageInspection> inspect(List<ImageEntry> entries) throws OperationFailedException;
}
