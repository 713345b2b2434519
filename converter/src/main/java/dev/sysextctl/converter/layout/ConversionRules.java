package dev.sysextctl.converter.layout;

import dev.sysextctl.core.lint.Finding;
import dev.sysextctl.core.lint.RuleId;
import dev.sysextctl.core.lint.Severity;

/**
 * Finding ids the converter adds to an image's lint output (besides the contract's {@code unsafe-path} and
 * {@code etc-content}). All are warnings: the converter already did what could be done, these say what is
 * left for a human.
 */
public final class ConversionRules {
    public static final String DROPPED = RuleId.TORCX_DROPPED.id();
    public static final String COLLISION = RuleId.TORCX_COLLISION.id();
    public static final String SHADOWING = RuleId.TORCX_SHADOWING_ENTRY.id();
    public static final String REFERENCE = RuleId.TORCX_REFERENCE.id();
    public static final String RUNPATH = RuleId.TORCX_RUNPATH.id();
    public static final String MANIFEST = RuleId.TORCX_MANIFEST.id();
    public static final String NO_MANIFEST = RuleId.TORCX_NO_MANIFEST.id();
    public static final String SYSUSERS = RuleId.TORCX_SYSUSERS.id();
    public static final String OPT = RuleId.TORCX_OPT_CONTENT.id();
    public static final String ARCHITECTURE = RuleId.TORCX_ARCHITECTURE.id();

    private ConversionRules() {
    }

    public static Finding warning(String id, String path, String message, String fix) {
        return new Finding(id, Severity.WARNING, path, message, fix);
    }
}
