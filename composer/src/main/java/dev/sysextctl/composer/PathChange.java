package dev.sysextctl.composer;

import java.util.List;

/**
 * What one extension does to one path of the composed image (what lies in a directory an extension added is
 * not listed on its own).
 *
 * @param path the path in the image ({@code usr/bin/tool})
 * @param layer the extension whose entry the image holds
 * @param change {@code added} (no lower layer has the path), {@code overridden} (a lower file, symlink or
 *     special file is hidden), {@code replaced-directory} (a lower directory and everything in it is hidden),
 *     {@code replaced-by-directory} (a lower non-directory is hidden by a directory) or {@code opaque} (a directory
 *     marked {@code trusted.overlay.opaque=y}: the lower directories' contents are hidden) or {@code whiteout} (a
 *     character device 0:0, overlayfs' whiteout: the lower entry is hidden and the path is absent from the image)
 * @param hidden the lower layers whose entry is hidden, top first ({@code base} for the base)
 */
public record PathChange(String path, String layer, String change, List<String> hidden) {
    public static final String ADDED = "added";
    public static final String OVERRIDDEN = "overridden";
    public static final String REPLACED_DIRECTORY = "replaced-directory";
    public static final String REPLACED_BY_DIRECTORY = "replaced-by-directory";
    public static final String OPAQUE = "opaque";
    public static final String WHITEOUT = "whiteout";

    public PathChange {
        hidden = List.copyOf(hidden);
    }
}
