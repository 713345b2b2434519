package dev.sysextctl.core.arch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * systemd's architecture names ({@code architecture_to_string()}, docs/compatibility.md §2.3), the aliases users
 * type (uname, Debian and Go spellings), and the name of this machine.
 */
public final class Architecture {
    /** Every name {@code ARCHITECTURE=} may hold, as systemd spells it. */
    public static final List<String> SYSTEMD_NAMES = List.of(
            "x86-64", "x86", "arm64", "arm64-be", "arm", "arm-be", "alpha", "arc", "arc-be", "cris", "ia64",
            "loongarch64", "m68k", "mips64-le", "mips64", "mips-le", "mips", "nios2", "parisc64", "parisc",
            "ppc64-le", "ppc64", "ppc", "ppc-le", "riscv32", "riscv64", "s390x", "s390", "sh64", "sh", "sparc64",
            "sparc", "tilegx");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("x86_64", "x86-64"), Map.entry("amd64", "x86-64"),
            Map.entry("aarch64", "arm64"), Map.entry("arm64", "arm64"),
            Map.entry("i386", "x86"), Map.entry("i486", "x86"), Map.entry("i586", "x86"), Map.entry("i686", "x86"),
            Map.entry("armhf", "arm"), Map.entry("armel", "arm"), Map.entry("armv7l", "arm"),
            Map.entry("armv7", "arm"), Map.entry("armv6l", "arm"),
            Map.entry("ppc64le", "ppc64-le"), Map.entry("ppc64el", "ppc64-le"),
            Map.entry("mips64el", "mips64-le"), Map.entry("mipsel", "mips-le"),
            Map.entry("loong64", "loongarch64"));

    private Architecture() {
    }

    public static boolean isSystemdName(String name) {
        return SYSTEMD_NAMES.contains(name);
    }

    /**
     * The systemd name for what a user typed: a systemd name as is, an alias mapped, {@code host} = this
     * machine, {@code _any} kept. Empty when it is none of those.
     */
    public static Optional<String> normalize(String input) {
        if (input == null) {
            return Optional.empty();
        }
        if (input.equals("_any") || isSystemdName(input)) {
            return Optional.of(input);
        }
        if (input.equals("host")) {
            return Optional.of(host());
        }
        return Optional.ofNullable(ALIASES.get(input.toLowerCase(Locale.ROOT)));
    }

    /** This machine in systemd's naming ({@code architecture_to_string(uname_architecture())}). */
    public static String host() {
        String osArch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (osArch) {
            case "amd64", "x86_64" -> "x86-64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "x86";
            case "arm", "arm32" -> "arm";
            case "ppc64le" -> "ppc64-le";
            case "ppc64" -> "ppc64";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "loongarch64" -> "loongarch64";
            case "mips64el" -> "mips64-le";
            default -> normalize(osArch).orElse(osArch);
        };
    }
}
