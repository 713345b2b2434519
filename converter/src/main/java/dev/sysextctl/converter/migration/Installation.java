package dev.sysextctl.converter.migration;

import java.util.List;

/**
 * What {@code --enable} did to the root: images installed under {@code /opt/extensions/NAME/}, links in
 * {@code /etc/extensions/}, Flatcar built-ins masked, and what it left alone and why.
 */
public record Installation(List<Enabled> enabled, List<Masked> masked, List<String> notes) {
    public Installation {
        enabled = List.copyOf(enabled);
        masked = List.copyOf(masked);
        notes = List.copyOf(notes);
    }

    /** An installed image: the extension name, the image path and the link (node paths). */
    public record Enabled(String name, String image, String link) {
    }

    /**
     * A Flatcar built-in turned off: its name and the {@code /dev/null} link that replaced the link enabling it (node
     * path; docs/compatibility.md §1.4).
     */
    public record Masked(String name, String link) {
    }
}
