package dev.sysextctl.converter.profile;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One image of a torcx profile: name, reference and (v1 only) remote. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProfileImage(String name, String reference, String remote) {
    public ProfileImage {
        name = name == null ? "" : name;
        reference = reference == null ? "" : reference;
    }

    public static ProfileImage of(String name, String reference) {
        return new ProfileImage(name, reference, null);
    }

    /** {@code name:reference}. */
    public String display() {
        return name + ":" + reference;
    }
}
