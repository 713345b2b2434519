package dev.sysextctl.core.lint;

import com.fasterxml.jackson.annotation.JsonValue;

public enum Severity {
    ERROR,
    WARNING;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
