package dev.sysextctl.core.lint;

import java.util.Objects;

/**
 * One lint or validation finding: the rule id of the contract, its severity, the path inside the image it is
 * about ("" for the image as a whole), what is wrong and how to fix it.
 */
public record Finding(String id, Severity severity, String path, String message, String fix) {
    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        path = path == null ? "" : path;
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public Finding withSeverity(Severity newSeverity) {
        return new Finding(id, newSeverity, path, message, fix);
    }

    /** {@code error[id] path: message (fix: ...)}, the one-line rendering the CLI prints. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(severity.jsonName()).append('[').append(id).append(']');
        if (!path.isEmpty()) {
            sb.append(' ').append(path);
        }
        sb.append(": ").append(message);
        if (!fix.isEmpty()) {
            sb.append(" (fix: ").append(fix).append(')');
        }
        return sb.toString();
    }
}
