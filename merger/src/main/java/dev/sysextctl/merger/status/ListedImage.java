package dev.sysextctl.merger.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ExtensionClass;
import dev.sysextctl.merger.plan.ImageAssessment;
import dev.sysextctl.merger.plan.ImageState;

/** One row of {@code list} (docs/cli.md §6.1): where the image is, its state, compatibility and reason, merged or not. */
@JsonPropertyOrder({"name", "class", "type", "path", "searchDir", "linkTarget", "source", "format", "state", "shadowedBy",
    "compatible", "rule", "reason", "systemdMessage", "merged"})
public record ListedImage(String name, String type, String path, String searchDir, String linkTarget, String source,
        String format, ImageState state, String shadowedBy, Boolean compatible, String rule, String reason,
        String systemdMessage, boolean merged, @JsonProperty("class") ExtensionClass extensionClass) {

    /** The row of a sysext. */
    public static ListedImage of(ImageAssessment a, boolean merged) {
        return of(a, merged, ExtensionClass.SYSEXT);
    }

    /** The row of an image of class {@code c}. */
    public static ListedImage of(ImageAssessment a, boolean merged, ExtensionClass c) {
        return new ListedImage(a.name(), a.type().systemdName(), a.path(), a.searchDir(), a.linkTarget(), a.source(),
                a.format(), a.state(), a.shadowedBy(), a.compatible(), a.rule(), a.reason(), a.systemdMessage(),
                merged, c);
    }
}
