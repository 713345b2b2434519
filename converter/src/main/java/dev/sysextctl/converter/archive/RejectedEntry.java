package dev.sysextctl.converter.archive;

/** An archive entry that is never used: an absolute name, a {@code ..} component, a link leaving the tree. */
public record RejectedEntry(String rawName, String reason) {
}
