package dev.sysextctl.merger.explain;

/** A path of the merged tree where one layer hides another: {@code other} is an extension name or {@code base}. */
public record FileOverride(String path, String other) {
    public static final String BASE = "base";
}
