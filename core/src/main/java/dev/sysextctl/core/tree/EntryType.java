package dev.sysextctl.core.tree;

import com.fasterxml.jackson.annotation.JsonValue;

/** The kinds of entry a sysext image can hold. */
public enum EntryType {
    FILE("file", '-'),
    DIRECTORY("directory", 'd'),
    SYMLINK("symlink", 'l'),
    /** A hard link to another entry of the same image ({@code linkTarget} is that entry's path). */
    HARDLINK("hardlink", 'h'),
    CHAR_DEVICE("char-device", 'c'),
    BLOCK_DEVICE("block-device", 'b'),
    FIFO("fifo", 'p'),
    SOCKET("socket", 's');

    private final String jsonName;
    private final char lsChar;

    EntryType(String jsonName, char lsChar) {
        this.jsonName = jsonName;
        this.lsChar = lsChar;
    }

    @JsonValue
    public String jsonName() {
        return jsonName;
    }

    /** The type letter of {@code ls -l}. */
    public char lsChar() {
        return lsChar;
    }

    public boolean isSpecial() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE || this == FIFO || this == SOCKET;
    }
}
