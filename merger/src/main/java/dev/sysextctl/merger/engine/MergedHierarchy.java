package dev.sysextctl.merger.engine;

/** A hierarchy the engine merged: the configured name, where it is on this machine, and the overlay's device. */
public record MergedHierarchy(String hierarchy, String target, String dev) {
}
