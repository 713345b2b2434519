package dev.sysextctl.builder.validate;

import com.fasterxml.jackson.annotation.JsonValue;

/** What systemd-sysext does with an image (and, for some refusals, with the whole merge). */
public enum Effect {
    /** Accepted: merged with the others. */
    MERGED("merged"),
    /** Refused: this image is skipped ("ignored due to incompatible version"), the others are merged. */
    IGNORED("ignored"),
    /** systemd does not see the file at all (wrong suffix, invalid name). */
    NOT_DISCOVERED("not-discovered"),
    /** The whole command fails before merging anything ("Failed to read metadata for image …", exit 1). */
    MERGE_FAILS("merge-fails"),
    /** 252: the merge is abandoned, nothing at all is merged, and the command still exits 0. */
    MERGE_ABORTED("merge-aborted"),
    /**
     * Refused by the image policy (docs/ddi.md §6, §7): systemd 257 fails the whole merge on it ("Image does not
     * match image policy.", exit 1); sysextctl's native engine skips it and merges the others.
     */
    REFUSED_BY_POLICY("refused-by-policy"),
    /** sysextctl cannot read this image (a kind it reads only mounted, or a corrupt one); nothing was checked. */
    UNKNOWN("unknown");

    private final String jsonName;

    Effect(String jsonName) {
        this.jsonName = jsonName;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }
}
