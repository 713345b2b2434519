package dev.sysextctl.merger.engine;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.sysextctl.core.error.UsageException;
import java.util.Locale;

/** The merge engines (docs/cli.md §6.5: {@code --engine auto|systemd|native}). */
public enum EngineKind {
    AUTO, SYSTEMD, NATIVE;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EngineKind parse(String s) throws UsageException {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown engine '" + s + "'; use auto, systemd or native");
        }
    }
}
