package dev.sysextctl.merger.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** The changes of a node's extension configuration (docs/cli.md §6.3, §6.4); {@link #word()} is the command. */
public enum ConfigAction {
    ENABLE("enable"),
    DISABLE("disable"),
    MASK("mask"),
    UNMASK("unmask");

    private final String word;

    ConfigAction(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    @Override
    public String toString() {
        return word;
    }
}
