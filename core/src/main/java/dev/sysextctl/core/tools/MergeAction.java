package dev.sysextctl.core.tools;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a merge command does to the hierarchies: systemd-sysext's verbs, which are also sysextctl's commands
 * (docs/cli.md §6.5). {@link #verb()} is the word on the command line and in JSON output.
 */
public enum MergeAction {
    /** Merge the compatible images; fails when a hierarchy is already merged. */
    MERGE("merge"),
    /** Remove the merge from every hierarchy. */
    UNMERGE("unmerge"),
    /** Unmerge, then merge again with the images present now. */
    REFRESH("refresh");

    private final String verb;

    MergeAction(String verb) {
        this.verb = verb;
    }

    @JsonValue
    public String verb() {
        return verb;
    }

    /** Whether systemd-sysext takes {@code --force} with this verb (not {@code unmerge}). */
    public boolean takesForce() {
        return this != UNMERGE;
    }

    @Override
    public String toString() {
        return verb;
    }
}
