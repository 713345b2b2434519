package dev.sysextctl.converter.layout;

import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.Severity;

/**
 * Finding ids the converter adds to an image's lint output (besides the contract's {@code unsafe-path} and
 * {@code etc-content}). All are warnings: the converter already did what could be done, these say what is
 * left for a human.
 */
public final class ConversionRules {
    public static final String DROPPED = "torcx-dropped";
    public static final String COLLISION = "torcx-collision";
    public static final String SHADOWING = "torcx-shadowing-entry";
    public static final String REFERENCE = "torcx-reference";
    public static final String RUNPATH = "torcx-runpath";
    public static final String MANIFEST = "torcx-manifest";
    public static final String NO_MANIFEST = "torcx-no-manifest";
    public static final String SYSUSERS = "torcx-sysusers";
    public static final String OPT = "torcx-opt-content";
    public static final String ARCHITECTURE = "torcx-architecture";

    private ConversionRules() {
    }

    public static Finding warning(String id, String path, String message, String fix) {
        return new Finding(id, Severity.WARNING, path, message, fix);
    }
}
