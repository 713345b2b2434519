package dev.sysextctl.builder.validate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.sysextctl.core.image.ExtensionClass;

/**
 * {@code validate}'s answer for one image.
 *
 * @param image the path given
 * @param name the image name systemd uses (from the file name or {@code --as}); null when it would not discover it
 * @param accepted whether systemd-sysext (a confext: systemd-confext) would merge it
 * @param rule the rule that decided ({@link dev.sysextctl.core.compat.CompatibilityRules} ids, or
 *     {@code file-suffix}, {@code invalid-name}, {@code not-an-image}, {@code no-release}, {@code release-not-unique},
 *     {@code os-release-in-image}, {@code unsupported-format}, {@code unreadable})
 * @param systemdMessage what systemd logs for it (debug level for per-image verdicts); empty when it says nothing
 * @param explanation why, in sysextctl's words, and what to do
 * @param effect what happens to this image and, for fatal refusals, to the whole merge
 * @param releaseFile the extension-release file used, inside the image (null when none)
 * @param extensionClass the class the image was checked as ({@code sysext} or {@code confext}; JSON {@code class})
 */
@JsonPropertyOrder({"image", "name", "class", "accepted", "rule", "systemdMessage", "explanation", "effect", "releaseFile"})
public record ImageVerdict(String image, String name, boolean accepted, String rule, String systemdMessage,
        String explanation, Effect effect, String releaseFile, @JsonProperty("class") ExtensionClass extensionClass) {
    public ImageVerdict {
        extensionClass = extensionClass == null ? ExtensionClass.SYSEXT : extensionClass;
    }

    /** A sysext's verdict. */
    public ImageVerdict(String image, String name, boolean accepted, String rule, String systemdMessage,
            String explanation, Effect effect, String releaseFile) {
        this(image, name, accepted, rule, systemdMessage, explanation, effect, releaseFile, ExtensionClass.SYSEXT);
    }

    /** This verdict for an image checked as {@code c}. */
    public ImageVerdict withClass(ExtensionClass c) {
        return new ImageVerdict(image, name, accepted, rule, systemdMessage, explanation, effect, releaseFile, c);
    }
}
