package dev.sysextctl.merger.plan;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where an image stands on a node (docs/cli.md §6.1, {@code list}). */
public enum ImageState {
    /** The entry used for its name (merged when compatible). */
    ACTIVE("active"),
    /** Another entry of the same name is found first. */
    SHADOWED("shadowed"),
    /** An empty directory of the same name is found first (or this entry is that mask). */
    MASKED("masked"),
    /** It cannot be used: unreadable, no extension-release, forbidden content, … (systemd 252 aborts on most). */
    BROKEN("broken"),
    /**
     * The image policy refuses it, or it needs dm-verity that this kernel lacks or the native engine does not set up
     * (docs/ddi.md §7): it is not mounted for the merge.
     */
    REFUSED("refused");

    private final String jsonName;

    ImageState(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }
}
