package dev.sysextctl.merger.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ExtensionClass;
import java.util.List;

/**
 * The merge state of one hierarchy, read from the {@code .systemd-sysext/} markers whichever engine merged it.
 *
 * @param hierarchy as configured ({@code /usr})
 * @param path where it is on this machine (chased inside the root)
 * @param exists whether that directory exists
 * @param merged whether a live sysext merge is mounted there
 * @param extensions the merged extensions, ascending (empty when not merged)
 * @param since when it was merged, in µs since the epoch (null when not merged)
 * @param dev the overlay's device number (null when not merged)
 * @param note anything odd (a stale marker from an offline copy)
 * @param extensionClass whose merge: {@code sysext} ({@code .systemd-sysext}) or {@code confext}
 *     ({@code .systemd-confext})
 */
@JsonPropertyOrder({"hierarchy", "class", "path", "exists", "merged", "extensions", "since", "dev", "note"})
public record HierarchyStatus(String hierarchy, String path, boolean exists, boolean merged, List<String> extensions,
        Long since, String dev, String note, @JsonProperty("class") ExtensionClass extensionClass) {
    public HierarchyStatus {
        extensions = List.copyOf(extensions);
    }

    /** The state of a sysext hierarchy. */
    public HierarchyStatus(String hierarchy, String path, boolean exists, boolean merged, List<String> extensions,
            Long since, String dev, String note) {
        this(hierarchy, path, exists, merged, extensions, since, dev, note, ExtensionClass.SYSEXT);
    }
}
