package dev.sysextctl.core.compat;

/**
 * The outcome of matching one extension against a target: accepted or not, the rule that decided, and the
 * message systemd logs for it (debug level in systemd, so users never see it unless they ask).
 */
public record Verdict(boolean accepted, String rule, String systemdMessage, String explanation) {

    public static Verdict accept(String rule, String systemdMessage, String explanation) {
        return new Verdict(true, rule, systemdMessage, explanation);
    }

    public static Verdict refuse(String rule, String systemdMessage, String explanation) {
        return new Verdict(false, rule, systemdMessage, explanation);
    }
}
