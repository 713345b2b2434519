package dev.sysextctl.merger.manager;

import java.util.List;
import java.util.regex.Pattern;

/** systemd unit names (systemd.unit(5)): {@code PREFIX[@[INSTANCE]].TYPE}. */
final class UnitNames {
    static final List<String> TYPES = List.of("service", "socket", "target", "device", "mount", "automount", "swap",
            "timer", "path", "slice", "scope");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9:_.\\\\-]+(@[A-Za-z0-9:_.\\\\-]*)?\\.("
            + String.join("|", TYPES) + ")");

    private UnitNames() {
    }

    static boolean isUnitName(String name) {
        return name.length() <= 255 && NAME.matcher(name).matches();
    }

    /** {@code getty@.service}: a template, which is never a unit itself; its instances are. */
    static boolean isTemplate(String name) {
        int at = name.indexOf('@');
        return at >= 0 && name.startsWith(".", at + 1);
    }

    /** The glob that matches a template's instances: {@code getty@.service} → {@code getty@*.service}. */
    static String instancePattern(String template) {
        int at = template.indexOf('@');
        return template.substring(0, at + 1) + "*" + template.substring(at + 1);
    }
}
