package dev.sysextctl.merger.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ImageType;
import dev.sysextctl.core.image.access.ImageInspection;
import dev.sysextctl.merger.discovery.ImageEntry;

/**
 * One image entry judged: its state, whether it is compatible with the node and why, and the message systemd
 * logs for it.
 *
 * @param compatible null when the image was not read (a shadowed image, or reading needs root)
 * @param rule the rule that decided ({@code version-match}, {@code os-id}, {@code no-release-file}, …)
 */
@JsonPropertyOrder({"name", "type", "path", "searchDir", "linkTarget", "source", "format", "state", "shadowedBy",
    "compatible", "rule", "reason", "systemdMessage"})
public record ImageAssessment(@JsonIgnore ImageEntry entry, ImageState state, String shadowedBy,
        Boolean compatible, String rule, String reason, String systemdMessage,
        @JsonIgnore ImageInspection inspection) {

    @JsonProperty
    public String name() {
        return entry.name();
    }

    @JsonProperty
    public ImageType type() {
        return entry.type();
    }

    @JsonProperty
    public String path() {
        return entry.path();
    }

    @JsonProperty
    public String searchDir() {
        return entry.searchDir();
    }

    @JsonProperty
    public String linkTarget() {
        return entry.linkTarget();
    }

    @JsonProperty
    public String source() {
        return entry.sourcePath();
    }

    @JsonProperty
    public String format() {
        return inspection == null ? null : inspection.format().jsonName();
    }

    /** Active and compatible: it goes into the merge. */
    @JsonIgnore
    public boolean usable() {
        return state == ImageState.ACTIVE && Boolean.TRUE.equals(compatible);
    }
}
