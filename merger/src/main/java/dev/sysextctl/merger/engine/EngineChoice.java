package dev.sysextctl.merger.engine;

/** The engine a command runs with, and why. */
public record EngineChoice(EngineKind engine, String reason) {
}
