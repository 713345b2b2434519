package dev.sysextctl.merger.node;

import dev.sysextctl.core.error.UsageException;
import dev.sysextctl.core.image.ExtensionClass;
import java.util.List;
import java.util.Locale;

/**
 * {@code --class sysext|confext|all}: which classes of extension a node command looks at or changes (docs/cli.md §6).
 * {@code all} is both, sysexts first, as a node's {@code systemd-sysext.service} and {@code systemd-confext.service}
 * run.
 */
public enum ClassSelection {
    SYSEXT(List.of(ExtensionClass.SYSEXT)),
    CONFEXT(List.of(ExtensionClass.CONFEXT)),
    ALL(List.of(ExtensionClass.SYSEXT, ExtensionClass.CONFEXT));

    private final List<ExtensionClass> classes;

    ClassSelection(List<ExtensionClass> classes) {
        this.classes = classes;
    }

    /** The classes, in the order they are handled. */
    public List<ExtensionClass> classes() {
        return classes;
    }

    /** The word typed on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The selection named by {@code text} (any case, blanks around ignored). */
    public static ClassSelection parse(String text) throws UsageException {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (ClassSelection s : values()) {
            if (s.cliName().equals(t)) {
                return s;
            }
        }
        throw new UsageException("invalid --class '" + text + "'; give sysext, confext or all");
    }
}
