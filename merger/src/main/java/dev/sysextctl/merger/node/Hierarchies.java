package dev.sysextctl.merger.node;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hierarchies a merge covers: {@code /usr} and {@code /opt}, or {@code $SYSTEMD_SYSEXT_HIERARCHIES}
 * ({@code :}-separated absolute, normalised paths other than {@code /}, kept in the given order; docs/compatibility.md §4.3);
 * for confexts {@code /etc} or {@code $SYSTEMD_CONFEXT_HIERARCHIES}.
 */
public final class Hierarchies {
    public static final String ENVIRONMENT = "SYSTEMD_SYSEXT_HIERARCHIES";
    public static final List<String> DEFAULT = List.of("/usr", "/opt");

    private Hierarchies() {
    }

    /** The hierarchies for an environment value (null: the default). */
    public static List<String> parse(String value) throws UsageException {
        return parse(ExtensionClass.SYSEXT, value);
    }

    /** The hierarchies of class {@code c} for the value of its variable (null: the class's default). */
    public static List<String> parse(ExtensionClass c, String value) throws UsageException {
        String variable = c.hierarchiesVariable();
        if (value == null) {
            return c.defaultHierarchies();
        }
        List<String> out = new ArrayList<>();
        for (String p : value.split(":", -1)) {
            if (p.isEmpty() && value.isEmpty()) {
                break;
            }
            if (!p.startsWith("/") || p.equals("/") || !Path.of(p).normalize().toString().equals(p)
                    || p.endsWith("/")) {
                throw new UsageException("Failed to parse $" + variable + " environment variable: Invalid "
                        + "argument ('" + p + "'); give absolute, normalised paths other than / separated by "
                        + "':', e.g. " + String.join(":", c.defaultHierarchies()));
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("Failed to parse $" + variable + " environment variable: Invalid "
                    + "argument (empty); unset it for " + String.join(":", c.defaultHierarchies())
                    + " or give paths separated by ':'");
        }
        return List.copyOf(out);
    }
}
